package org.mentorflow.forms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks the Camunda Forms in {@code forms/} against the process contract: one file per form id, the form id equals
 * the file name, component ids are present and unique, the field keys are exactly the contract's variables, and
 * every {@code camunda:formRef} in {@code processes/*.bpmn} points to an existing form.
 */
class FormsTest {

    private static final Path FORMS = Path.of("forms");
    private static final Path PROCESSES = Path.of("processes");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The form-js bundled with Camunda 7.24 Tasklist exports schemaVersion 16; newer schemas may not render. */
    private static final int MAX_SCHEMA_VERSION = 16;

    /** Field types the form-js viewer bundled with Camunda 7.24 Tasklist knows. */
    private static final Set<String> SUPPORTED_TYPES = Set.of("text", "textfield", "textarea", "number", "datetime",
            "checkbox", "checklist", "radio", "select", "taglist", "html", "expression", "group", "dynamiclist", "table",
            "separator", "spacer", "iframe", "image", "button");

    /** Contract field keys per form; a trailing {@code *} marks a field that must be required (when it is shown). */
    private static final Map<String, List<String>> CONTRACT = new LinkedHashMap<>();

    static {
        form("rank-preferences", "firstChoice*", "secondChoice", "thirdChoice");
        form("confirm-offer", "offerAccepted*", "declineReason*");
        form("place-manually", "positionId*");
        form("sign-agreement", "signatoryName*", "agreed*");
        // guardianRelation: not marked required in the contract, but recordGuardianConsent rejects a missing one
        form("record-guardian-consent", "guardianName*", "guardianRelation*", "consentDate*", "consentReceived*");
        form("record-insurance", "insurer*", "policyNumber*", "coverageStart*", "coverageEnd*");
        form("assign-school-mentor", "schoolMentor*");
        form("name-enterprise-mentor", "enterpriseMentor*");
        form("draft-training-plan", "planGoals*", "planContent*", "weeklyHours*");
        form("review-training-plan", "planApproved*", "reviewComment*");
        form("submit-weekly-report", "workDone*", "hours*", "longestDay", "nightShifts", "holidayDays", "learned*", "problems");
        form("review-weekly-report", "reportApproved*", "reviewComment*");
        form("confirm-attendance", "attendanceConfirmed*", "attendanceComment*");
        form("appraise-student", "score*", "strengths*", "improvements");
        form("self-appraisal", "score*", "summary*");
        form("confirm-grade", "gradeConfirmed*", "overrideBand*", "overrideReason*");
    }

    /** Selects whose options the server provides in a JSON variable. */
    private static final Map<String, String> VALUES_KEYS = Map.of(
            "firstChoice", "positionOptions",
            "secondChoice", "positionOptions",
            "thirdChoice", "positionOptions",
            "positionId", "positionOptions",
            "schoolMentor", "schoolMentorOptions",
            "enterpriseMentor", "enterpriseMentorOptions");

    /** Decisions the gateways read as Booleans ({@code ${offerAccepted}} ...): radios with true/false values. */
    private static final Set<String> BOOLEAN_RADIOS = Set.of("offerAccepted", "planApproved", "reportApproved",
            "gradeConfirmed", "attendanceConfirmed");

    private static void form(String id, String... keys) {
        CONTRACT.put(id, List.of(keys));
    }

    static Stream<String> formIds() {
        return CONTRACT.keySet().stream();
    }

    private static JsonNode read(String id) throws IOException {
        Path file = FORMS.resolve(id + ".form");
        assertThat(file).as("form file for contract form '%s'", id).isRegularFile();
        return JSON.readTree(file.toFile());
    }

    private static List<JsonNode> components(JsonNode container) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode c : container.path("components")) {
            all.add(c);
            all.addAll(components(c));
        }
        return all;
    }

    private static Set<String> names(List<String> keys) {
        return keys.stream().map(k -> k.replace("*", "")).collect(Collectors.toCollection(TreeSet::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formIds")
    void formFileParsesAndDeclaresItsPlatform(String id) throws IOException {
        JsonNode form = read(id);
        assertThat(form.path("id").asText()).as("id of %s.form", id).isEqualTo(id);
        assertThat(form.path("type").asText()).isEqualTo("default");
        assertThat(form.path("executionPlatform").asText()).isEqualTo("Camunda Platform");
        assertThat(form.path("executionPlatformVersion").asText()).isEqualTo("7.24.0");
        assertThat(form.path("exporter").path("name").asText()).isEqualTo("Camunda Modeler");
        assertThat(form.path("schemaVersion").isInt()).as("schemaVersion is a number").isTrue();
        assertThat(form.path("schemaVersion").asInt()).isBetween(1, MAX_SCHEMA_VERSION);
        assertThat(form.path("components").isArray()).isTrue();
        assertThat(form.path("components").size()).isPositive();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formIds")
    void componentsHaveUniqueReadableIdsAndKnownTypes(String id) throws IOException {
        Set<String> seen = new HashSet<>();
        for (JsonNode c : components(read(id))) {
            String cid = c.path("id").asText("");
            assertThat(cid).as("component id in %s (%s)", id, c).matches("[A-Za-z][A-Za-z0-9_]*");
            assertThat(seen.add(cid)).as("component id '%s' is unique in %s", cid, id).isTrue();
            assertThat(SUPPORTED_TYPES).as("type of %s in %s", cid, id).contains(c.path("type").asText());
            JsonNode hide = c.path("conditional").path("hide");
            if (!hide.isMissingNode()) {
                assertThat(hide.asText()).as("conditional.hide of %s is a FEEL expression", cid).startsWith("=");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formIds")
    void fieldKeysAreTheContractVariables(String id) throws IOException {
        List<String> keys = components(read(id)).stream()
                .filter(c -> c.hasNonNull("key"))
                .map(c -> c.get("key").asText())
                .toList();
        assertThat(keys).as("keys of %s are unique", id).doesNotHaveDuplicates();
        assertThat(new TreeSet<>(keys)).as("keys of %s", id).isEqualTo(names(CONTRACT.get(id)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formIds")
    void requiredFieldsOptionsAndDecisionsFollowTheContract(String id) throws IOException {
        Map<String, JsonNode> byKey = components(read(id)).stream()
                .filter(c -> c.hasNonNull("key"))
                .collect(Collectors.toMap(c -> c.get("key").asText(), c -> c));
        for (String spec : CONTRACT.get(id)) {
            String key = spec.replace("*", "");
            JsonNode field = byKey.get(key);
            assertThat(field.path("validate").path("required").asBoolean(false))
                    .as("%s.%s required", id, key).isEqualTo(spec.endsWith("*"));

            String type = field.path("type").asText();
            if (type.equals("select") || type.equals("radio")) {
                if (VALUES_KEYS.containsKey(key)) {
                    assertThat(field.path("valuesKey").asText()).as("%s.%s valuesKey", id, key)
                            .isEqualTo(VALUES_KEYS.get(key));
                } else {
                    assertThat(field.path("values").size()).as("%s.%s static values", id, key).isPositive();
                }
            }
            if (BOOLEAN_RADIOS.contains(key)) {
                assertThat(type).isEqualTo("radio");
                List<JsonNode> values = new ArrayList<>();
                field.path("values").forEach(v -> values.add(v.path("value")));
                assertThat(values).as("%s.%s values are the booleans true and false", id, key)
                        .allMatch(JsonNode::isBoolean)
                        .extracting(JsonNode::asBoolean).containsExactly(true, false);
            }
        }
    }

    @Test
    void everyFormRefInTheProcessesHasAFormFile() throws IOException {
        Pattern formRef = Pattern.compile("camunda:formRef=\"([^\"]+)\"");
        if (!Files.isDirectory(PROCESSES)) {
            return;
        }
        List<Path> bpmns;
        try (Stream<Path> files = Files.list(PROCESSES)) {
            bpmns = files.filter(p -> p.getFileName().toString().endsWith(".bpmn")).sorted().toList();
        }
        List<String> missing = new ArrayList<>();
        for (Path bpmn : bpmns) {
            Matcher m = formRef.matcher(Files.readString(bpmn, StandardCharsets.UTF_8));
            while (m.find()) {
                if (!Files.isRegularFile(FORMS.resolve(m.group(1) + ".form"))) {
                    missing.add(bpmn.getFileName() + " -> " + m.group(1));
                }
            }
        }
        assertThat(missing).as("formRefs without a form file").isEmpty();
    }

    @Test
    void contractListsSixteenForms() {
        assertThat(CONTRACT).hasSize(16);
        assertThat(Arrays.stream(new String[] {"confirm-offer", "sign-agreement", "confirm-grade"}))
                .allMatch(CONTRACT::containsKey);
    }
}
