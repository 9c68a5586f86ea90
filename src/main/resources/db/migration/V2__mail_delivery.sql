-- Mail is rendered when it is sent, from the notice's model (JSON) in the recipient's language, so a template fault or
-- a missing address fails that one mail and never the engine step that published it.
alter table mf_notification add column model_json varchar(200000);
alter table mf_notification add column language varchar(8);
alter table mf_notification add column html_body varchar(200000);
alter table mf_notification add column message_id varchar(200);
-- a dispatcher claims a row for a while (lease); a row whose lease ran out (its node died) is claimed again
alter table mf_notification add column claimed_by varchar(100);
alter table mf_notification add column claimed_until timestamp;
-- daily digest: a held notice waits (PENDING) for its recipient's digest, which then carries it (digest_id)
alter table mf_notification add column held_at timestamp;
alter table mf_notification add column digest_id bigint;
alter table mf_notification alter column body set data type varchar(200000);
alter table mf_notification alter column body drop not null;
alter table mf_notification alter column subject drop not null;
create index mf_notification_recipient on mf_notification (recipient, status);
create index mf_notification_digest on mf_notification (digest_id);

-- How a person wants their mail: language (zh, en; students default to mf_student.language, everyone else to zh) and
-- from how many open tasks the notices of new tasks are held for one daily digest (0: never).
create table mf_mail_preference (
    username         varchar(64) primary key,
    language         varchar(8)  check (language in ('zh', 'en')),
    digest_threshold integer     check (digest_threshold >= 0)
);
