-- The coordinators' mail counters (status, HELD = PENDING with held_at, SKIPPED = SENT without sent_at) are counted
-- from this index alone, without reading the wide outbox rows (subject, bodies): at a million sent mails the index is
-- tens of megabytes, the table gigabytes.
create index mf_notification_counts on mf_notification (status, held_at, sent_at);
