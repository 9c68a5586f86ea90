package org.mentorflow.processes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
import org.camunda.bpm.model.bpmn.instance.BusinessRuleTask;
import org.camunda.bpm.model.bpmn.instance.CallActivity;
import org.camunda.bpm.model.bpmn.instance.EndEvent;
import org.camunda.bpm.model.bpmn.instance.ExclusiveGateway;
import org.camunda.bpm.model.bpmn.instance.FlowElement;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Gateway;
import org.camunda.bpm.model.bpmn.instance.InclusiveGateway;
import org.camunda.bpm.model.bpmn.instance.IntermediateCatchEvent;
import org.camunda.bpm.model.bpmn.instance.IntermediateThrowEvent;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.StartEvent;
import org.camunda.bpm.model.bpmn.instance.SubProcess;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnEdge;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnPlane;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnShape;
import org.camunda.bpm.model.bpmn.instance.dc.Bounds;
import org.camunda.bpm.model.bpmn.instance.di.DiagramElement;
import org.camunda.bpm.model.bpmn.instance.di.Waypoint;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Conventions of the contract, checked on every model under {@code processes/} on disk (not only the ones a
 * process test deploys): readable ids, a complete and tidy BPMN DI diagram, history time to live, forms and
 * due dates on user tasks, conditions on gateway branches, Spring beans instead of Java classes.
 */
class ModelConventionsTest {

  static final Path PROCESSES = Path.of("processes");
  static final Path FORMS = Path.of("forms");
  static final String CAMUNDA_BPMN_NS = "http://camunda.org/schema/1.0/bpmn";
  static final String BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL";
  static final String CAMUNDA_DMN_NS = "http://camunda.org/schema/1.0/dmn";
  static final String DMN13_NS = "https://www.omg.org/spec/DMN/20191111/MODEL/";
  static final String DMNDI13_NS = "https://www.omg.org/spec/DMN/20191111/DMNDI/";
  static final String HISTORY_TIME_TO_LIVE = "P180D";

  /** Ids as Camunda Modeler and bpmn-js generate them, e.g. {@code Activity_0abc123}, {@code Flow_1x2y3z4_di}. */
  static final Pattern GENERATED_ID = Pattern.compile("^(Activity|Flow|Gateway|Event|StartEvent|EndEvent|Task"
      + "|Process|Definitions|Collaboration|Participant|Lane|LaneSet|Message|Error|Signal|Escalation"
      + "|DataObject|DataObjectReference|DataStoreReference|TextAnnotation|Association|Group|Category"
      + "|CategoryValue|[A-Za-z]+EventDefinition|BPMNShape|BPMNEdge|Decision|DecisionTable|InputClause"
      + "|OutputClause|Input|Output|Rule|UnaryTests|LiteralExpression|InformationRequirement"
      + "|DMNShape|DMNEdge|DMNDiagram)_[0-9a-z]{7}(_di)?$");
  /** Readable flow element ids: {@code Prefix_CamelCaseName}. */
  static final Pattern READABLE_ID = Pattern.compile("^[A-Z][A-Za-z]*_[A-Z][A-Za-z0-9_]*$");
  /** Processes the contract names; each lives in {@code processes/<id>.bpmn}. */
  static final List<String> CONTRACT_PROCESSES = List.of("apprenticeship", "enterprise-matching",
      "placement-agreement", "mentors-and-plan", "weekly-report", "attendance", "evaluation");

  static Stream<Path> bpmnFiles() throws IOException {
    return filesEndingWith(".bpmn").stream();
  }

  static Stream<Path> dmnFiles() throws IOException {
    return filesEndingWith(".dmn").stream();
  }

  @Test
  void everyProcessOfTheContractHasItsModel() throws IOException {
    List<String> present = filesEndingWith(".bpmn").stream().map(ModelConventionsTest::baseName).toList();
    assertThat(present).containsAll(CONTRACT_PROCESSES);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bpmnFiles")
  void isOneExecutableProcessNamedAfterItsFileWithHistoryTimeToLive(Path file) {
    BpmnModelInstance model = Bpmn.readModelFromFile(file.toFile());
    Collection<Process> processes = model.getModelElementsByType(Process.class);

    assertThat(processes).as("exactly one plain process (no collaboration) in %s", file).hasSize(1);
    Process process = processes.iterator().next();
    assertThat(process.getId()).as("process id of %s", file).isEqualTo(baseName(file));
    assertThat(process.isExecutable()).as("%s isExecutable", file).isTrue();
    assertThat(process.getName()).as("process name of %s", file).isNotBlank();
    assertThat(process.getCamundaHistoryTimeToLiveString()).as("camunda:historyTimeToLive of %s", file)
        .isEqualTo(HISTORY_TIME_TO_LIVE);
    // lifecycles start from our API with their records; a bare start from Tasklist would have none
    assertThat(process.isCamundaStartableInTasklist()).as("%s is startable in Tasklist", file).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bpmnFiles")
  void hasNoGeneratedIds(Path file) throws Exception {
    List<String> generated = new ArrayList<>();
    NodeList elements = parseXml(file).getElementsByTagName("*");
    for (int i = 0; i < elements.getLength(); i++) {
      String id = ((Element) elements.item(i)).getAttribute("id");
      if (GENERATED_ID.matcher(id).matches()) {
        generated.add(id);
      }
    }
    assertThat(generated).as("generated-looking ids in %s", file).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bpmnFiles")
  void flowElementIdsFollowTheCamundaScheme(Path file) {
    BpmnModelInstance model = Bpmn.readModelFromFile(file.toFile());
    Map<String, String> wrong = new LinkedHashMap<>();
    for (FlowElement element : model.getModelElementsByType(FlowElement.class)) {
      String id = element.getId();
      String prefix = expectedPrefix(element);
      if (!READABLE_ID.matcher(id).matches()) {
        wrong.put(id, "Prefix_ReadableName");
      } else if (prefix != null && !id.startsWith(prefix)) {
        wrong.put(id, prefix + "...");
      }
    }
    assertThat(wrong).as("ids in %s (id -> expected form)", file).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bpmnFiles")
  void everyFlowNodeHasAShapeAndEverySequenceFlowAnEdge(Path file) {
    BpmnModelInstance model = Bpmn.readModelFromFile(file.toFile());
    Process process = model.getModelElementsByType(Process.class).iterator().next();
    Collection<BpmnPlane> planes = model.getModelElementsByType(BpmnPlane.class);
    assertThat(planes).as("diagram planes in %s", file).isNotEmpty();
    assertThat(planes).as("a plane of %s shows the process", file)
        .anySatisfy(plane -> assertThat(plane.getBpmnElement()).isEqualTo(process));

    List<String> missing = new ArrayList<>();
    for (FlowNode node : model.getModelElementsByType(FlowNode.class)) {
      if (!(node.getDiagramElement() instanceof BpmnShape shape) || shape.getBounds() == null) {
        missing.add("shape with bounds for " + node.getId());
      }
    }
    for (SequenceFlow flow : model.getModelElementsByType(SequenceFlow.class)) {
      BpmnEdge edge = flow.getDiagramElement();
      if (edge == null || edge.getWaypoints().size() < 2) {
        missing.add("edge with waypoints for " + flow.getId());
      }
    }
    assertThat(missing).as("BPMN DI of %s", file).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bpmnFiles")
  void edgesAreOrthogonalAndConnectTheirShapes(Path file) {
    BpmnModelInstance model = Bpmn.readModelFromFile(file.toFile());
    List<String> problems = new ArrayList<>();
    for (SequenceFlow flow : model.getModelElementsByType(SequenceFlow.class)) {
      BpmnEdge edge = flow.getDiagramElement();
      if (edge == null || edge.getWaypoints().size() < 2) {
        continue; // reported by everyFlowNodeHasAShapeAndEverySequenceFlowAnEdge
      }
      List<Waypoint> points = new ArrayList<>(edge.getWaypoints());
      for (int i = 1; i < points.size(); i++) {
        Waypoint a = points.get(i - 1);
        Waypoint b = points.get(i);
        if (!a.getX().equals(b.getX()) && !a.getY().equals(b.getY())) {
          problems.add(flow.getId() + ": diagonal segment " + point(a) + " -> " + point(b));
        }
      }
      Bounds source = bounds(flow.getSource());
      Bounds target = bounds(flow.getTarget());
      if (source != null && !onOrInside(points.get(0), source)) {
        problems.add(flow.getId() + ": starts at " + point(points.get(0)) + ", away from " + flow.getSource().getId());
      }
      if (target != null && !onOrInside(points.get(points.size() - 1), target)) {
        problems.add(flow.getId() + ": ends at " + point(points.get(points.size() - 1)) + ", away from "
            + flow.getTarget().getId());
      }
    }
    assertThat(problems).as("sequence flow edges of %s", file).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bpmnFiles")
  void shapesDoNotOverlap(Path file) {
    BpmnModelInstance model = Bpmn.readModelFromFile(file.toFile());
    List<FlowNode> nodes = new ArrayList<>(model.getModelElementsByType(FlowNode.class));
    List<String> overlaps = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      for (int j = i + 1; j < nodes.size(); j++) {
        FlowNode a = nodes.get(i);
        FlowNode b = nodes.get(j);
        Bounds ba = bounds(a);
        Bounds bb = bounds(b);
        if (ba == null || bb == null || attached(a, b) || attached(b, a) || contains(a, b) || contains(b, a)) {
          continue;
        }
        if (ba.getX() < bb.getX() + bb.getWidth() && bb.getX() < ba.getX() + ba.getWidth()
            && ba.getY() < bb.getY() + bb.getHeight() && bb.getY() < ba.getY() + ba.getHeight()) {
          overlaps.add(a.getId() + " / " + b.getId());
        }
      }
    }
    assertThat(overlaps).as("overlapping shapes in %s", file).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bpmnFiles")
  void userTasksHaveAFormAndADueDate(Path file) {
    BpmnModelInstance model = Bpmn.readModelFromFile(file.toFile());
    List<String> problems = new ArrayList<>();
    for (UserTask task : model.getModelElementsByType(UserTask.class)) {
      if (isBlank(task.getCamundaFormRef())) {
        problems.add(task.getId() + " has no camunda:formRef");
      } else if (!"latest".equals(task.getCamundaFormRefBinding())) {
        problems.add(task.getId() + " has formRefBinding " + task.getCamundaFormRefBinding() + ", not latest");
      }
      if (isBlank(task.getCamundaDueDate())) {
        problems.add(task.getId() + " has no camunda:dueDate");
      }
      if (isBlank(task.getName())) {
        problems.add(task.getId() + " has no name");
      }
    }
    assertThat(problems).as("user tasks of %s", file).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bpmnFiles")
  void deadlinesAreDeclaredOnTheirTaskNotDrawn(Path file) throws Exception {
    List<String> problems = new ArrayList<>();
    NodeList elements = parseXml(file).getElementsByTagName("*");
    for (int i = 0; i < elements.getLength(); i++) {
      Element element = (Element) elements.item(i);
      String expression = element.getAttributeNS(CAMUNDA_BPMN_NS, "delegateExpression");
      if (element.getLocalName().equals("serviceTask") && expression.contains("taskDeadlineNotice")) {
        problems.add(element.getAttribute("id") + " draws a deadline rung (declare a timeout task listener instead)");
      }
      if (element.getLocalName().equals("taskListener") && "timeout".equals(element.getAttribute("event"))) {
        if (!element.getAttribute("id").startsWith("Deadline_")) {
          problems.add("timeout listener " + element.getAttribute("id") + " is not named Deadline_...");
        }
        if (element.getElementsByTagNameNS(BPMN_NS, "timeDate").getLength() != 1) {
          problems.add("timeout listener " + element.getAttribute("id") + " has no timeDate");
        }
      }
    }
    assertThat(problems).as("deadlines of %s", file).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bpmnFiles")
  void everyBranchOfADecidingGatewayHasACondition(Path file) {
    BpmnModelInstance model = Bpmn.readModelFromFile(file.toFile());
    List<String> unconditioned = new ArrayList<>();
    for (Gateway gateway : model.getModelElementsByType(Gateway.class)) {
      if (!(gateway instanceof ExclusiveGateway || gateway instanceof InclusiveGateway)
          || gateway.getOutgoing().size() < 2) {
        continue;
      }
      String defaultFlow = gateway.getAttributeValue("default");
      for (SequenceFlow flow : gateway.getOutgoing()) {
        if (flow.getConditionExpression() == null && !flow.getId().equals(defaultFlow)) {
          unconditioned.add(flow.getId());
        }
        if (isBlank(flow.getName())) {
          unconditioned.add(flow.getId() + " (no name)");
        }
      }
    }
    assertThat(unconditioned).as("gateway branches without condition or name in %s", file).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bpmnFiles")
  void serviceLogicIsWiredToSpringBeans(Path file) throws Exception {
    List<String> problems = new ArrayList<>();
    NodeList elements = parseXml(file).getElementsByTagName("*");
    for (int i = 0; i < elements.getLength(); i++) {
      Element element = (Element) elements.item(i);
      if (element.hasAttributeNS(CAMUNDA_BPMN_NS, "class") || element.hasAttribute("class")) {
        problems.add(element.getLocalName() + " " + element.getAttribute("id") + " uses a Java class");
      }
    }
    BpmnModelInstance model = Bpmn.readModelFromFile(file.toFile());
    for (ServiceTask task : model.getModelElementsByType(ServiceTask.class)) {
      if (isBlank(task.getCamundaDelegateExpression()) && !"external".equals(task.getCamundaType())) {
        problems.add(task.getId() + " has no camunda:delegateExpression");
      }
    }
    assertThat(problems).as("service wiring of %s", file).isEmpty();
  }

  @Test
  void everyFormRefHasAForm() throws IOException {
    List<Path> formFiles = new ArrayList<>();
    if (Files.isDirectory(FORMS)) {
      try (Stream<Path> files = Files.list(FORMS)) {
        files.filter(f -> f.getFileName().toString().endsWith(".form")).forEach(formFiles::add);
      }
    }
    Assumptions.assumeFalse(formFiles.isEmpty(), "no forms/*.form yet");

    ObjectMapper json = new ObjectMapper();
    Set<String> formIds = new TreeSet<>();
    for (Path form : formFiles) {
      JsonNode id = json.readTree(form.toFile()).get("id");
      if (id != null) {
        formIds.add(id.asText());
      }
    }
    Set<String> missing = new TreeSet<>();
    for (Path file : filesEndingWith(".bpmn")) {
      for (UserTask task : Bpmn.readModelFromFile(file.toFile()).getModelElementsByType(UserTask.class)) {
        if (!isBlank(task.getCamundaFormRef()) && !formIds.contains(task.getCamundaFormRef())) {
          missing.add(task.getCamundaFormRef() + " (" + baseName(file) + "/" + task.getId() + ")");
        }
      }
    }
    assertThat(missing).as("formRefs without a forms/*.form of that id (found ids %s)", formIds).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dmnFiles")
  void decisionsAreDmn13WithHistoryTimeToLiveAndAShape(Path file) throws Exception {
    Document document = parseXml(file);
    assertThat(document.getDocumentElement().getNamespaceURI()).as("DMN namespace of %s", file).isEqualTo(DMN13_NS);

    Set<String> shapes = new TreeSet<>();
    NodeList shapeElements = document.getElementsByTagNameNS(DMNDI13_NS, "DMNShape");
    for (int i = 0; i < shapeElements.getLength(); i++) {
      shapes.add(((Element) shapeElements.item(i)).getAttribute("dmnElementRef"));
    }
    List<String> problems = new ArrayList<>();
    NodeList decisions = document.getElementsByTagNameNS(DMN13_NS, "decision");
    assertThat(decisions.getLength()).as("decisions in %s", file).isPositive();
    for (int i = 0; i < decisions.getLength(); i++) {
      Element decision = (Element) decisions.item(i);
      String id = decision.getAttribute("id");
      if (isBlank(decision.getAttributeNS(CAMUNDA_DMN_NS, "historyTimeToLive"))) {
        problems.add(id + " has no camunda:historyTimeToLive");
      }
      if (!shapes.contains(id)) {
        problems.add(id + " has no DMNShape");
      }
    }
    NodeList elements = document.getElementsByTagName("*");
    for (int i = 0; i < elements.getLength(); i++) {
      String id = ((Element) elements.item(i)).getAttribute("id");
      if (GENERATED_ID.matcher(id).matches()) {
        problems.add("generated id " + id);
      }
    }
    assertThat(problems).as("decisions of %s", file).isEmpty();
  }

  // --- helpers -----------------------------------------------------------------------------------

  private static List<Path> filesEndingWith(String suffix) throws IOException {
    assertThat(PROCESSES).as("processes/ relative to the project root").isDirectory();
    try (Stream<Path> files = Files.list(PROCESSES)) {
      return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
    }
  }

  private static String baseName(Path file) {
    String name = file.getFileName().toString();
    return name.substring(0, name.lastIndexOf('.'));
  }

  private static Document parseXml(Path file) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(file.toFile());
  }

  /** The id prefix the contract's Camunda scheme expects for an element type, or null if any readable prefix does. */
  private static String expectedPrefix(FlowElement element) {
    if (element instanceof SequenceFlow) {
      return "SequenceFlow_";
    } else if (element instanceof StartEvent) {
      return "StartEvent_";
    } else if (element instanceof EndEvent) {
      return "EndEvent_";
    } else if (element instanceof BoundaryEvent) {
      return "BoundaryEvent_";
    } else if (element instanceof IntermediateCatchEvent || element instanceof IntermediateThrowEvent) {
      return "Event_";
    } else if (element instanceof Gateway) {
      return "Gateway_";
    } else if (element instanceof UserTask) {
      return "Task_";
    } else if (element instanceof ServiceTask) {
      return "ServiceTask_";
    } else if (element instanceof BusinessRuleTask) {
      return "BusinessRuleTask_";
    } else if (element instanceof CallActivity) {
      return "CallActivity_";
    }
    return null;
  }

  private static Bounds bounds(BaseElement element) {
    DiagramElement di = element.getDiagramElement();
    return di instanceof BpmnShape shape ? shape.getBounds() : null;
  }

  private static boolean onOrInside(Waypoint point, Bounds bounds) {
    double tolerance = 2;
    return point.getX() >= bounds.getX() - tolerance && point.getX() <= bounds.getX() + bounds.getWidth() + tolerance
        && point.getY() >= bounds.getY() - tolerance && point.getY() <= bounds.getY() + bounds.getHeight() + tolerance;
  }

  private static boolean attached(FlowNode event, FlowNode host) {
    return event instanceof BoundaryEvent boundary && host.equals(boundary.getAttachedTo());
  }

  private static boolean contains(FlowNode outer, FlowNode inner) {
    for (ModelElementInstance parent = inner.getParentElement(); parent != null; parent = parent.getParentElement()) {
      if (parent.equals(outer) && outer instanceof SubProcess) {
        return true;
      }
    }
    return false;
  }

  private static String point(Waypoint point) {
    return "(" + point.getX().intValue() + "," + point.getY().intValue() + ")";
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
