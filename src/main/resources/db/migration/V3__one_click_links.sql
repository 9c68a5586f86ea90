-- One-click links in mails (issue 3): a signed link acts on one task once. A row is written in the same transaction
-- that completes the task, so a link is used at most once and a task is completed through a link at most once.
create table mf_action_link_use (
    link_id  varchar(64)   primary key,
    task_id  varchar(64)   not null unique,
    user_id  varchar(64)   not null,
    action   varchar(32)   not null,
    task_name varchar(200),
    comment  varchar(2000),
    used_at  timestamp     not null
);
