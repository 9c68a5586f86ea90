package org.mentorflow.lifecycle;

/**
 * Published inside the engine's transaction when a placement enters a stage (the main process' execution listeners):
 * what runs beside a stage (the school mentor's contact clock beside supervision) ends when the next one begins.
 */
public record PlacementStageEntered(long placementId, String businessKey, String stage) {
}
