package org.mentorflow.processes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.List;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.camunda.bpm.dmn.engine.DmnDecisionTableResult;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.model.dmn.Dmn;
import org.camunda.bpm.model.dmn.DmnModelInstance;
import org.camunda.bpm.model.dmn.HitPolicy;
import org.camunda.bpm.model.dmn.instance.Decision;
import org.camunda.bpm.model.dmn.instance.DecisionTable;
import org.camunda.bpm.model.dmn.instance.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Decision "agreement-requirements" (hit policy COLLECT): the informed consent of student and guardian for every 岗位实习,
 * internship liability insurance for everyone (职业学校学生实习管理规定 2021).
 */
@Deployment(resources = "processes/agreement-requirements.dmn")
class AgreementRequirementsDecisionTest {

  @RegisterExtension
  static ProcessEngineExtension engine = ProcessEngineExtension.builder().configurationResource("process-test.camunda.cfg.xml").build();

  static final String RESOURCE = "processes/agreement-requirements.dmn";
  static final String DMN13_MODEL = "https://www.omg.org/spec/DMN/20191111/MODEL/";
  static final String DMN13_DI = "https://www.omg.org/spec/DMN/20191111/DMNDI/";

  @Test
  void seventeenYearOldNeedsGuardianConsentAndInsurance() {
    assertThat(requirementsAt(17)).containsExactly("GUARDIAN_CONSENT", "INSURANCE");
  }

  @Test
  void eighteenYearOldAlsoNeedsTheInformedConsentOfStudentAndGuardian() {
    assertThat(requirementsAt(18)).containsExactly("GUARDIAN_CONSENT", "INSURANCE");
  }

  @ParameterizedTest(name = "age {0} -> {1}")
  @MethodSource("agesAndRequirements")
  void consentIsRequiredForEveryPlacementWhateverTheAge(int age, List<String> expected) {
    assertThat(requirementsAt(age)).containsExactlyElementsOf(expected);
  }

  static Stream<Arguments> agesAndRequirements() {
    List<String> minor = List.of("GUARDIAN_CONSENT", "INSURANCE");
    List<String> adult = List.of("GUARDIAN_CONSENT", "INSURANCE");
    return Stream.of(Arguments.of(15, minor), Arguments.of(16, minor), Arguments.of(17, minor),
        Arguments.of(18, adult), Arguments.of(19, adult), Arguments.of(25, adult));
  }

  @Test
  void everyRuleExplainsItselfAndTheDecisionHasADiagram() throws Exception {
    DmnModelInstance model = Dmn.readModelFromStream(resource());
    Decision decision = model.getModelElementById("agreement-requirements");
    DecisionTable table = (DecisionTable) decision.getExpression();
    assertThat(table.getHitPolicy()).isEqualTo(HitPolicy.COLLECT);
    assertThat(table.getRules()).hasSize(2)
        .allSatisfy(rule -> assertThat(description(rule)).contains("职业学校学生实习管理规定"));

    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    Document document;
    try (InputStream in = resource()) {
      document = factory.newDocumentBuilder().parse(in);
    }
    assertThat(document.getDocumentElement().getNamespaceURI()).isEqualTo(DMN13_MODEL);
    NodeList shapes = document.getElementsByTagNameNS(DMN13_DI, "DMNShape");
    assertThat(shapes.getLength()).isEqualTo(1);
    assertThat(((Element) shapes.item(0)).getAttribute("dmnElementRef")).isEqualTo("agreement-requirements");
  }

  private List<Object> requirementsAt(int ageOnStart) {
    DmnDecisionTableResult result = engine.getDecisionService()
        .evaluateDecisionTableByKey("agreement-requirements", Variables.createVariables().putValue("ageOnStart", ageOnStart));
    return result.collectEntries("requirement");
  }

  private static String description(Rule rule) {
    return rule.getDescription() == null ? "" : rule.getDescription().getTextContent();
  }

  private InputStream resource() {
    InputStream in = getClass().getClassLoader().getResourceAsStream(RESOURCE);
    assertThat(in).as(RESOURCE + " on the classpath").isNotNull();
    return in;
  }
}
