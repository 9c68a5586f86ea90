package org.mentorflow.lifecycle;

/**
 * Published (synchronously, in the engine's transaction) when a placement is closed after its evaluation: what follows
 * the placement (the employment follow-up) starts from it without the lifecycle knowing of it.
 */
public record PlacementClosed(long placementId) {
}
