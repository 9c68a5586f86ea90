package org.mentorflow.supervision;

/**
 * Published inside the engine's transaction when a placement's weeks are scheduled, i.e. supervision begins (the step
 * {@code ServiceTask_ScheduleWeeklyReports} of apprenticeship.bpmn). Listeners that start something of their own for the
 * placement (the school mentor's contact clock) run in the same transaction: if they fail, the step is retried.
 */
public record SupervisionStarted(long placementId, String businessKey) {
}
