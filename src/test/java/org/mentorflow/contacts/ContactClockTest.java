package org.mentorflow.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/**
 * The contact clock of mentor-contact.bpmn without the engine: when the next check is due and what a check does, for
 * the school's interval (14 days) and escalation time (3 days). Whatever a check decides, the next check lies in the
 * future, so the process never loops at once.
 */
class ContactClockTest {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final Instant SINCE = LocalDate.of(2026, 6, 24).atTime(10, 0).atZone(ZONE).toInstant();

    final MentorContacts contacts = new MentorContacts(null, null, null, null, null, null, null, null, null,
            Clock.fixed(SINCE, ZONE), Duration.ofDays(14), Duration.ofDays(3));

    @Test
    void theFirstCheckIsOneIntervalAfterSupervisionBeganNotAfterThePlacementBegan() {
        assertThat(contacts.nextCheckAt(null, SINCE, null, null)).isEqualTo(SINCE.plus(Duration.ofDays(14)));
        // a contact before supervision started in our records does not bring the first check forward
        assertThat(contacts.nextCheckAt(LocalDate.of(2026, 6, 1), SINCE, null, null)).isEqualTo(SINCE.plus(Duration.ofDays(14)));
    }

    @Test
    void aContactMovesTheNextCheckToOneIntervalAfterItsDay() {
        LocalDate contact = LocalDate.of(2026, 7, 3);
        Instant next = contacts.nextCheckAt(contact, SINCE, null, null);
        assertThat(next).isEqualTo(contact.plusDays(14).atStartOfDay(ZONE).toInstant());
        assertThat(contacts.check(contact, SINCE, null, null, next.minusSeconds(1)).state()).isEqualTo(MentorContacts.State.WAITING);
    }

    @Test
    void noContactInTheIntervalRemindsThenEscalatesThenRemindsAgain() {
        Instant due = SINCE.plus(Duration.ofDays(14));
        MentorContacts.Check remind = contacts.check(null, SINCE, null, null, due);
        assertThat(remind.state()).isEqualTo(MentorContacts.State.REMIND);
        assertThat(remind.remindedAt()).isEqualTo(due);

        Instant escalateAt = contacts.nextCheckAt(null, SINCE, remind.remindedAt(), null);
        assertThat(escalateAt).isEqualTo(due.plus(Duration.ofDays(3)));
        assertThat(contacts.check(null, SINCE, remind.remindedAt(), null, escalateAt.minusSeconds(1)).state())
                .isEqualTo(MentorContacts.State.WAITING);
        MentorContacts.Check escalate = contacts.check(null, SINCE, remind.remindedAt(), null, escalateAt);
        assertThat(escalate.state()).isEqualTo(MentorContacts.State.ESCALATE);
        assertThat(escalate.escalatedAt()).isEqualTo(escalateAt);

        Instant again = contacts.nextCheckAt(null, SINCE, escalate.remindedAt(), escalate.escalatedAt());
        assertThat(again).as("one interval after the escalation").isEqualTo(escalateAt.plus(Duration.ofDays(14)));
        MentorContacts.Check second = contacts.check(null, SINCE, escalate.remindedAt(), escalate.escalatedAt(), again);
        assertThat(second.state()).isEqualTo(MentorContacts.State.REMIND);
        assertThat(second.escalatedAt()).isNull();
    }

    @Test
    void aContactAfterTheReminderStopsTheEscalation() {
        Instant due = SINCE.plus(Duration.ofDays(14));
        Instant reminded = due;
        LocalDate contact = reminded.atZone(ZONE).toLocalDate().plusDays(1);
        Instant escalateAt = due.plus(Duration.ofDays(3));

        MentorContacts.Check check = contacts.check(contact, SINCE, reminded, null, escalateAt);

        assertThat(check.state()).isEqualTo(MentorContacts.State.WAITING);
        assertThat(check.remindedAt()).as("the reminder is done with").isNull();
        assertThat(contacts.nextCheckAt(contact, SINCE, check.remindedAt(), check.escalatedAt()))
                .isEqualTo(contact.plusDays(14).atStartOfDay(ZONE).toInstant());
    }

    @Test
    void aContactDatedBeforeTheReminderButRecordedAfterItStillEscalatesWhenTheIntervalHasPassed() {
        Instant due = SINCE.plus(Duration.ofDays(14));
        LocalDate oldContact = SINCE.atZone(ZONE).toLocalDate().minusDays(1);
        Instant escalateAt = due.plus(Duration.ofDays(3));

        assertThat(contacts.check(oldContact, SINCE, due, null, escalateAt).state()).isEqualTo(MentorContacts.State.ESCALATE);
    }

    @Test
    void whateverTheCheckDecidesTheNextCheckIsInTheFuture() {
        Instant now = SINCE;
        Instant reminded = null;
        Instant escalated = null;
        for (int i = 0; i < 12; i++) {
            now = contacts.nextCheckAt(null, SINCE, reminded, escalated);
            MentorContacts.Check c = contacts.check(null, SINCE, reminded, escalated, now);
            reminded = c.remindedAt();
            escalated = c.escalatedAt();
            assertThat(contacts.nextCheckAt(null, SINCE, reminded, escalated)).isAfter(now);
        }
    }
}
