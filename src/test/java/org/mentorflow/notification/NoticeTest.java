package org.mentorflow.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NoticeTest {

    @Test
    void leavesOutKeysWithoutAValueInsteadOfFailingTheCaller() {
        Map<String, Object> model = new HashMap<>();
        model.put("taskId", "t1");
        model.put("due", null);
        Notice notice = new Notice("chenqiang", "TASK_CREATED", "t1", model);
        assertThat(notice.model()).containsOnlyKeys("taskId");
    }

    @Test
    void storesDatesAsIsoTextAndKeepsListsAndMaps() {
        Instant due = Instant.parse("2027-03-05T10:00:00Z");
        Object plain = Outbox.plain(Map.of("due", Date.from(due), "at", due,
                "actions", List.of(Map.of("label", Map.of("zh", "批准"), "url", "https://x"))));
        assertThat(plain).isEqualTo(Map.of("due", "2027-03-05T10:00:00Z", "at", "2027-03-05T10:00:00Z",
                "actions", List.of(Map.of("label", Map.of("zh", "批准"), "url", "https://x"))));
    }

    @Test
    void longIdentityIsShortenedButStaysDistinct() {
        String longRef = "report:" + "x".repeat(400);
        String a = Outbox.dedupeKey(new Notice("u", "TASK_CREATED", longRef + "a", null));
        String b = Outbox.dedupeKey(new Notice("u", "TASK_CREATED", longRef + "b", null));
        assertThat(a).hasSizeLessThanOrEqualTo(300).isNotEqualTo(b);
        assertThat(Outbox.dedupeKey(new Notice("u", "TASK_CREATED", "t1", null))).isEqualTo("TASK_CREATED:t1:u");
    }
}
