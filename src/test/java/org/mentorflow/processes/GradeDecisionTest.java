package org.mentorflow.processes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.Map;

import org.camunda.bpm.dmn.engine.DmnDecisionResult;
import org.camunda.bpm.dmn.engine.DmnDecisionResultEntries;
import org.camunda.bpm.engine.repository.DecisionDefinition;
import org.camunda.bpm.engine.repository.DecisionRequirementsDefinition;
import org.camunda.bpm.engine.test.Deployment;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The DRD in processes/grade.dmn: "weighted-score" weighs the three appraisals (50/30/20), "grade" maps the
 * weighted score to a band. The integer scores below are chosen so that the weighted score lands exactly on
 * each band boundary, so the whole DRD is exercised as the process uses it.
 */
@Deployment(resources = "processes/grade.dmn")
class GradeDecisionTest {

  @RegisterExtension
  static ProcessEngineExtension engine = ProcessEngineExtension.builder().configurationResource("process-test.camunda.cfg.xml").build();

  @ParameterizedTest(name = "enterprise {0}, school {1}, self {2} -> {3} {4}")
  @CsvSource({
      // enterprise, school, self, weighted, band
      "100, 100, 100, 100.0, EXCELLENT",
      "90,  90,  90,  90.0,  EXCELLENT",
      "100, 99,  51,  89.9,  GOOD",
      "80,  80,  80,  80.0,  GOOD",
      "80,  79,  81,  79.9,  PASS",
      "70,  70,  70,  70.0,  PASS",
      "70,  69,  71,  69.9,  PASS",
      "60,  60,  60,  60.0,  PASS",
      "60,  61,  58,  59.9,  FAIL",
      "0,   0,   0,   0.0,   FAIL"
  })
  void weightedScoreFallsIntoItsBandWithLowerBoundInclusive(int enterpriseScore, int schoolScore, int selfScore,
      double expectedScore, String expectedBand) {
    DmnDecisionResultEntries result = grade(enterpriseScore, schoolScore, selfScore);

    assertThat(result.<Double>getEntry("score")).isEqualTo(expectedScore);
    assertThat(result.<String>getEntry("band")).isEqualTo(expectedBand);
  }

  @Test
  void theBandsAreTheFourSchoolsUse() {
    // 优秀 / 良好 / 合格 / 不合格: the override's choices are read from these output values (evaluation/Appraisals)
    var definition = engine.getRepositoryService().createDecisionDefinitionQuery().decisionDefinitionKey("grade").singleResult();
    org.camunda.bpm.model.dmn.instance.Output band = engine.getRepositoryService().getDmnModelInstance(definition.getId())
        .getModelElementById("Output_Band");
    assertThat(band.getOutputValues().getText().getTextContent()).isEqualTo("\"EXCELLENT\",\"GOOD\",\"PASS\",\"FAIL\"");
  }

  @Test
  void enterpriseMentorWeighsHalfSchoolMentorThirtyPercentSelfTwentyPercent() {
    // 90 * 0.5 + 80 * 0.3 + 70 * 0.2 = 45 + 24 + 14 = 83.0
    DmnDecisionResult weighted = engine.getDecisionService().evaluateDecisionByKey("weighted-score")
        .variables(scores(90, 80, 70)).evaluate();
    assertThat(weighted.getSingleResult().getEntryMap()).containsExactly(entry("weightedScore", 83.0));

    assertThat(grade(90, 80, 70).getEntryMap()).containsOnly(entry("score", 83.0), entry("band", "GOOD"));
  }

  @Test
  void gradeIsADrdWhoseGradeDecisionRequiresWeightedScore() {
    DecisionRequirementsDefinition drd = engine.getRepositoryService()
        .createDecisionRequirementsDefinitionQuery().singleResult();
    assertThat(drd.getKey()).isEqualTo("Definitions_Grade");

    assertThat(engine.getRepositoryService().createDecisionDefinitionQuery()
        .decisionRequirementsDefinitionId(drd.getId()).list())
        .extracting(DecisionDefinition::getKey).containsExactlyInAnyOrder("weighted-score", "grade");
  }

  private DmnDecisionResultEntries grade(int enterpriseScore, int schoolScore, int selfScore) {
    return engine.getDecisionService().evaluateDecisionByKey("grade")
        .variables(scores(enterpriseScore, schoolScore, selfScore))
        .evaluate()
        .getSingleResult();
  }

  private static Map<String, Object> scores(int enterpriseScore, int schoolScore, int selfScore) {
    return Map.of("enterpriseScore", enterpriseScore, "schoolScore", schoolScore, "selfScore", selfScore);
  }
}
