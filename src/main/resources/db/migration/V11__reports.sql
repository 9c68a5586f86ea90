-- What the school reports (issue 11).
-- The industries a major serves beyond its own (mf_major.industry): 专业对口率 counts a placed student as matching when the
-- enterprise's industry (mf_enterprise.industry) is one of them.
create table mf_major_industry (
    major_code varchar(32)  not null references mf_major (code),
    industry   varchar(200) not null,
    primary key (major_code, industry)
);

-- Every submission of a weekly report, one row per revision, written by the transaction that saves the report: the first
-- one says whether the report came on time, each one starts the enterprise mentor's review of that revision.
-- (mf_weekly_report.submitted_at holds only the latest.) Reports written before this table have their latest revision.
create table mf_report_submission (
    report_id    bigint    not null references mf_weekly_report (id),
    revision     integer   not null,
    submitted_at timestamp not null,
    primary key (report_id, revision)
);
insert into mf_report_submission (report_id, revision, submitted_at) select id, revision, submitted_at from mf_weekly_report;
create index mf_report_review_report on mf_report_review (report_id, revision);
create index mf_weekly_report_placement on mf_weekly_report (placement_id, week_no);
