package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

/** Waits until a cohort's background start is done: every student placed, every first stage run by the job executor. */
final class CohortStartProgress {

    private CohortStartProgress() {
    }

    static void awaitStarted(Http http, String coordinator, String cohortId) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            var r = http.get(coordinator, "/api/cohorts/" + cohortId + "/lifecycles");
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            var p = r.body();
            return !p.get("starting").asBoolean() && p.get("waiting").asInt() == 0
                    && p.get("placements").asInt() == p.get("students").asInt();
        });
        var p = http.get(coordinator, "/api/cohorts/" + cohortId + "/lifecycles").body();
        assertThat(p.get("failed").asInt()).as(p.toString()).isZero();
    }
}
