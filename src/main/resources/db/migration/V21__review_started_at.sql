-- The moment a report reached its reviewer, written with the review (issue 11: the figures' review turnaround reads it
-- instead of joining every review with its submission and the enterprise's approval): for the enterprise mentor the
-- submission of that revision, for the school mentor the enterprise mentor's approval of it. Null when not known (an
-- enterprise review of a revision before submissions were kept): such a review counts for no turnaround.
alter table mf_report_review add column started_at timestamp;

update mf_report_review v set started_at = (select sub.submitted_at from mf_report_submission sub
                                            where sub.report_id = v.report_id and sub.revision = v.revision)
where v.reviewer_role = 'ENTERPRISE';

update mf_report_review v set started_at = (select max(ent.reviewed_at) from mf_report_review ent
                                            where ent.report_id = v.report_id and ent.revision = v.revision
                                              and ent.reviewer_role = 'ENTERPRISE' and ent.approved = true)
where v.reviewer_role = 'SCHOOL';
