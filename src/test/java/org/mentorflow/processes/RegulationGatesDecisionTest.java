package org.mentorflow.processes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.camunda.bpm.model.dmn.Dmn;
import org.camunda.bpm.model.dmn.HitPolicy;
import org.camunda.bpm.model.dmn.instance.Decision;
import org.camunda.bpm.model.dmn.instance.DecisionTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The regulation's gates as decision tables (职业学校学生实习管理规定, 2021): {@code position-gates} (asked when a
 * position is published) and {@code placement-gates} (asked when a student is to be placed). Each rule alone, its
 * boundary on both sides, and the case that passes every gate.
 */
@Deployment(resources = {"processes/position-gates.dmn", "processes/placement-gates.dmn", "processes/working-time.dmn"})
class RegulationGatesDecisionTest {

  @RegisterExtension
  static ProcessEngineExtension engine = ProcessEngineExtension.builder().configurationResource("process-test.camunda.cfg.xml").build();

  /** A position that passes every gate: a vetted factory, pay 2,800 of 3,400 (82 %), six months, 5 % and 15 %. */
  static Map<String, Object> fine() {
    Map<String, Object> in = new HashMap<>();
    in.put("vetting", "VALID");
    in.put("venueType", "FACTORY");
    in.put("workKind", "PRODUCTION");
    in.put("payToPostWage", 2800.0 / 3400.0);
    in.put("monthlyPay", 2800.0);
    in.put("studentFee", 0.0);
    in.put("durationDays", 182);
    in.put("durationReasonGiven", false);
    in.put("internShareOfStaff", 0.05);
    in.put("internShareOfPost", 0.15);
    in.put("programme", "PLACEMENT");
    return in;
  }

  @Test
  void aPositionWithinEveryRuleBreaksNone() {
    assertThat(positionRules(fine())).isEmpty();
  }

  @ParameterizedTest(name = "{0} = {1} -> {2}")
  @CsvSource(nullValues = "NULL", value = {
      "venueType, ENTERTAINMENT, ENTERTAINMENT_VENUE",
      "venueType, HOTEL_RESTAURANT, ",
      "workKind, HIGH_RISK, HIGH_RISK_WORK",
      "workKind, FORBIDDEN_TO_MINORS, WORK_FORBIDDEN_TO_MINORS",
      "workKind, SERVICE, ",
      "vetting, NONE, ENTERPRISE_NOT_VETTED",
      "vetting, FAILED, ENTERPRISE_NOT_VETTED",
      "vetting, LAPSED, ENTERPRISE_VETTING_LAPSED"})
  void aForbiddenKindOrAnUnvettedEnterpriseIsNamed(String input, String value, String rule) {
    Map<String, Object> in = fine();
    in.put(input, value);
    assertThat(positionRules(in)).isEqualTo(rule == null ? List.of() : List.of(rule));
  }

  @ParameterizedTest(name = "{0} = {1} -> {2}")
  @CsvSource(nullValues = "NULL", value = {
      "payToPostWage, 0.8, ",
      "payToPostWage, 0.7999, PAY_BELOW_POST_WAGE",
      "monthlyPay, 2100, ",
      "monthlyPay, 2099.99, PAY_BELOW_LOCAL_MINIMUM",
      "studentFee, 0.01, STUDENT_FEE",
      "internShareOfStaff, 0.1, ",
      "internShareOfStaff, 0.1001, ENTERPRISE_INTERN_SHARE",
      "internShareOfStaff, NULL, ENTERPRISE_STAFF_UNKNOWN",
      "internShareOfPost, 0.2, ",
      "internShareOfPost, 0.2001, POST_INTERN_SHARE"})
  void payFeesAndSharesAreCheckedAgainstTheSchoolsLimits(String input, Double value, String rule) {
    Map<String, Object> in = fine();
    in.put(input, value);
    assertThat(positionRules(in)).isEqualTo(rule == null ? List.of() : List.of(rule));
  }

  @ParameterizedTest(name = "{0} days, reason {1} -> {2}")
  @CsvSource({
      "150, false, ",
      "149, false, DURATION_SHORT",
      "84, true, ",
      "215, false, ",
      "216, false, DURATION_LONG",
      "365, true, "})
  void aboutSixMonthsOrTheCoordinatorsReason(int days, boolean reason, String rule) {
    Map<String, Object> in = fine();
    in.put("durationDays", days);
    in.put("durationReasonGiven", reason);
    assertThat(positionRules(in)).isEqualTo(rule == null ? List.of() : List.of(rule));
  }

  @ParameterizedTest(name = "apprenticeship of {0} days, reason {1} -> {2}")
  @CsvSource({
      "182, false, APPRENTICESHIP_SHORT",
      "364, true, APPRENTICESHIP_SHORT",
      "365, false, ",
      "730, false, ",
      "1096, false, ",
      "1097, true, APPRENTICESHIP_LONG"})
  void anApprenticeshipRunsOneToThreeYearsNotAboutSixMonths(int days, boolean reason, String rule) {
    Map<String, Object> in = fine();
    in.put("programme", "APPRENTICESHIP");
    in.put("durationDays", days);
    in.put("durationReasonGiven", reason);
    assertThat(positionRules(in)).isEqualTo(rule == null ? List.of() : List.of(rule));
  }

  @ParameterizedTest(name = "{0}: 400 days without a reason is too long")
  @CsvSource({"PLACEMENT", "ORDER_CLASS"})
  void anOrderClassKeepsThePlacementsSixMonths(String programme) {
    Map<String, Object> in = fine();
    in.put("programme", programme);
    in.put("durationDays", 400);
    assertThat(positionRules(in)).containsExactly("DURATION_LONG");
  }

  @Test
  void everyBrokenRuleIsNamedWithItsLimit() {
    Map<String, Object> in = fine();
    in.put("venueType", "ENTERTAINMENT");
    in.put("payToPostWage", 0.5);
    in.put("internShareOfPost", 0.5);
    var result = engine.getDecisionService().evaluateDecisionByKey("position-gates").variables(in).evaluate();
    assertThat(result.collectEntries("rule")).containsExactly("ENTERTAINMENT_VENUE", "PAY_BELOW_POST_WAGE", "POST_INTERN_SHARE");
    assertThat(result.getResultList()).extracting(r -> r.get("limit")).containsExactly(null, 0.8, 0.2);
  }

  @ParameterizedTest(name = "age {0}, school year {1} -> {2}")
  @CsvSource(nullValues = "NULL", value = {
      "16, 2, ",
      "15, 2, UNDER_16",
      "17, 1, FIRST_SCHOOL_YEAR",
      "15, 1, UNDER_16;FIRST_SCHOOL_YEAR",
      "19, NULL, SCHOOL_YEAR_UNKNOWN",
      "18, 3, "})
  void noPlacementUnderSixteenOrInTheFirstSchoolYear(int age, Integer schoolYear, String rules) {
    Map<String, Object> in = new HashMap<>();
    in.put("ageOnStart", age);
    in.put("schoolYearOnStart", schoolYear);
    List<Object> found = engine.getDecisionService().evaluateDecisionByKey("placement-gates").variables(in).evaluate()
        .collectEntries("rule");
    assertThat(found).isEqualTo(rules == null ? List.of() : List.of((Object[]) rules.split(";")));
  }

  @ParameterizedTest(name = "minor {0}, {1} h, longest day {2}, {3} nights, {4} holidays -> {5}")
  @CsvSource(nullValues = "NULL", value = {
      "false, 40, 8, 0, 0, ",
      "true, 40, 8, 0, 0, ",
      "false, 40.5, 8, 0, 0, OVER_40_HOURS=false",
      "true, 40.5, 8, 0, 0, OVER_40_HOURS=true",
      "false, 38, 8.5, 0, 0, OVER_8_HOURS_A_DAY=false",
      "true, 38, 8.5, 0, 0, OVER_8_HOURS_A_DAY=false",
      "false, 38, NULL, 1, 0, NIGHT_WORK=false",
      "true, 38, NULL, 1, 0, NIGHT_WORK=true",
      "false, 38, 8, 0, 1, HOLIDAY_WORK=false",
      "true, 38, 8, 2, 1, NIGHT_WORK=true;HOLIDAY_WORK=true"})
  void theStandardIsEightHoursADayAndFortyAWeekAndAMinorsNightHolidayOrLongWeekIsToldAtOnce(boolean minor, double hours,
      Double longestDay, int nights, int holidays, String expected) {
    Map<String, Object> in = new HashMap<>();
    in.put("minor", minor);
    in.put("hours", hours);
    in.put("longestDay", longestDay);
    in.put("nightShifts", nights);
    in.put("holidayDays", holidays);
    Map<String, Boolean> findings = new java.util.LinkedHashMap<>();
    engine.getDecisionService().evaluateDecisionByKey("working-time").variables(in).evaluate().getResultList()
        .forEach(r -> findings.merge((String) r.get("finding"), (Boolean) r.get("alertNow"), Boolean::logicalOr));
    Map<String, Boolean> wanted = new java.util.LinkedHashMap<>();
    if (expected != null) {
      for (String f : expected.split(";")) {
        wanted.put(f.split("=")[0], Boolean.parseBoolean(f.split("=")[1]));
      }
    }
    assertThat(findings).isEqualTo(wanted);
  }

  @Test
  void everyRuleSaysWhichArticleItComesFromAndTheTablesCollect() {
    for (String[] file : new String[][] {{"processes/position-gates.dmn", "position-gates"},
        {"processes/placement-gates.dmn", "placement-gates"}, {"processes/working-time.dmn", "working-time"}}) {
      var model = Dmn.readModelFromStream(getClass().getClassLoader().getResourceAsStream(file[0]));
      Decision decision = model.getModelElementById(file[1]);
      DecisionTable table = (DecisionTable) decision.getExpression();
      assertThat(table.getHitPolicy()).isEqualTo(HitPolicy.COLLECT);
      assertThat(table.getRules()).allSatisfy(r -> assertThat(r.getDescription().getTextContent()).isNotBlank());
    }
  }

  private List<Object> positionRules(Map<String, Object> in) {
    return engine.getDecisionService().evaluateDecisionByKey("position-gates").variables(in).evaluate().collectEntries("rule");
  }
}
