package org.mentorflow.reports;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.mentorflow.common.RefusedException;
import org.mentorflow.school.Cohort;
import org.mentorflow.school.SchoolRecords;
import org.springframework.context.MessageSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A cohort's archive (issue 11): one ZIP with a folder per student (the files of {@link StudentArchive}) and a manifest of
 * every file with its size and SHA-256, built in the background by {@link ArchiveJobs} into
 * {@code mentorflow.archive.directory}. A coordinator starts it, follows its progress (students done of all, those that
 * failed and why), downloads it when it is done; every archive stays, listed per cohort with who started it and when. At
 * most one build per cohort at a time (the database's unique {@code building_cohort}); refusals in the person's language.
 */
@Service
public class CohortArchives {

    private static final DateTimeFormatter ZH_DATE_TIME = DateTimeFormatter.ofPattern("y年M月d日 HH:mm");
    private static final DateTimeFormatter EN_DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final JdbcClient jdbc;
    private final SchoolRecords school;
    private final ArchiveJobs jobs;
    private final MessageSource messages;
    private final Clock clock;

    CohortArchives(JdbcClient jdbc, SchoolRecords school, ArchiveJobs jobs, MessageSource messages, Clock clock) {
        this.jdbc = jdbc;
        this.school = school;
        this.jobs = jobs;
        this.messages = messages;
        this.clock = clock;
    }

    public record Failure(String studentNumber, String message) {
    }

    /**
     * An archive as far as it got: QUEUED (waiting for a node), RUNNING, DONE (downloadable; students that failed are
     * listed and missing from the ZIP) or FAILED (no file: {@code failure} says why).
     */
    public record Archive(long id, String cohortId, String state, String startedBy, Instant startedAt, Instant finishedAt,
                          int students, int studentsDone, int studentsFailed, Long bytes, String sha256, String failure,
                          List<Failure> failures) {

        public boolean building() {
            return "QUEUED".equals(state) || "RUNNING".equals(state);
        }

        public boolean done() {
            return "DONE".equals(state);
        }

        /** Students handled (written or failed), of all. */
        @com.fasterxml.jackson.annotation.JsonProperty("handled")
        public int handled() {
            return studentsDone + studentsFailed;
        }

        public String path() {
            return "/api/cohorts/" + cohortId + "/archives/" + id;
        }

        /** Where the finished ZIP is downloaded (absent until it is DONE). */
        @com.fasterxml.jackson.annotation.JsonProperty("download")
        public String download() {
            return done() ? path() + "/file" : null;
        }
    }

    /** A finished archive's file and the name it is downloaded as. */
    public record Download(Path file, String filename, long bytes) {
    }

    /** Queues the cohort's archive, built in the person's language once this transaction (if any) commits. */
    public Archive start(String cohortId, String startedBy, Locale locale) {
        Cohort cohort = cohort(cohortId, locale);
        running(cohort.id()).ifPresent(a -> {
            throw busy(a, locale);
        });
        var keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
        try {
            jdbc.sql("""
                            insert into mf_cohort_archive (cohort_id, building_cohort, state, language, started_by, started_at)
                            values (?, ?, 'QUEUED', ?, ?, ?)""")
                    .params(cohort.id(), cohort.id(), "en".equals(locale.getLanguage()) ? "en" : "zh-CN", startedBy,
                            Timestamp.from(clock.instant()))
                    .update(keys, "id");
        } catch (DuplicateKeyException startedMeanwhile) {
            throw running(cohort.id()).map(a -> busy(a, locale)).orElseThrow(() -> startedMeanwhile);
        }
        long id = keys.getKeyAs(Number.class).longValue();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    jobs.buildSoon();
                }
            });
        } else {
            jobs.buildSoon();
        }
        return read(cohort.id(), id, true);
    }

    /** The cohort's archives, newest first (without the failed students' reasons: see {@link #one}). */
    public List<Archive> ofCohort(String cohortId, Locale locale) {
        Cohort cohort = cohort(cohortId, locale);
        return jdbc.sql(SELECT + " where cohort_id = ? order by id desc").param(cohort.id())
                .query((rs, i) -> archive(rs, List.of())).list();
    }

    /** One archive of the cohort with its failed students; an id of another cohort's archive is unknown here (404). */
    public Archive one(String cohortId, long id, Locale locale) {
        Cohort cohort = cohort(cohortId, locale);
        Archive a = read(cohort.id(), id, true);
        if (a == null) {
            throw new RefusedException(org.springframework.http.HttpStatus.NOT_FOUND, t("archive.cohort.refused.unknown", locale, String.valueOf(id), cohort.name()));
        }
        return a;
    }

    /** A finished archive's file, by ids only (never a path from the request). */
    public Download download(String cohortId, long id, Locale locale) {
        Archive a = one(cohortId, id, locale);
        if (!a.done()) {
            throw new RefusedException(org.springframework.http.HttpStatus.CONFLICT, t("archive.cohort.refused.notReady", locale, t("archive.cohort.state." + a.state(), locale)));
        }
        Path file = jobs.fileOf(a.id());
        if (!Files.isRegularFile(file)) {
            throw new RefusedException(org.springframework.http.HttpStatus.GONE, t("archive.cohort.refused.gone", locale));
        }
        Cohort cohort = school.cohort(cohortId);
        String day = (chinese(locale) ? DateTimeFormatter.ofPattern("y年M月d日") : DateTimeFormatter.ISO_LOCAL_DATE)
                .format(a.startedAt().atZone(clock.getZone()));
        return new Download(file, t("archive.cohort.filename", locale, cohort.name(), day, String.valueOf(a.id())) + ".zip", a.bytes());
    }

    private java.util.Optional<Archive> running(String cohortId) {
        return jdbc.sql(SELECT + " where building_cohort = ?").param(cohortId).query((rs, i) -> archive(rs, List.of()))
                .optional();
    }

    private RefusedException busy(Archive a, Locale locale) {
        return new RefusedException(org.springframework.http.HttpStatus.CONFLICT, t("archive.cohort.refused.running", locale, a.startedBy(),
                (chinese(locale) ? ZH_DATE_TIME : EN_DATE_TIME).format(a.startedAt().atZone(clock.getZone())),
                a.handled(), a.students()));
    }

    private Cohort cohort(String cohortId, Locale locale) {
        return school.findCohort(cohortId).orElseThrow(() -> new RefusedException(org.springframework.http.HttpStatus.NOT_FOUND,
                t("archive.cohort.refused.noCohort", locale, cohortId)));
    }

    private static final String SELECT = """
            select id, cohort_id, state, started_by, started_at, finished_at, students, students_done, students_failed,
                   file_bytes, file_sha256, failure
            from mf_cohort_archive""";

    private Archive read(String cohortId, long id, boolean withFailures) {
        List<Failure> failures = withFailures ? jdbc.sql("""
                        select student_number, message from mf_cohort_archive_failure where archive_id = ? order by student_number""")
                .param(id).query((rs, i) -> new Failure(rs.getString(1), rs.getString(2))).list() : List.of();
        return jdbc.sql(SELECT + " where cohort_id = ? and id = ?").params(cohortId, id)
                .query((rs, i) -> archive(rs, failures)).optional().orElse(null);
    }

    private static Archive archive(ResultSet rs, List<Failure> failures) throws SQLException {
        Timestamp finished = rs.getTimestamp("finished_at");
        Long bytes = rs.getObject("file_bytes") == null ? null : rs.getLong("file_bytes");
        return new Archive(rs.getLong("id"), rs.getString("cohort_id"), rs.getString("state"), rs.getString("started_by"),
                rs.getTimestamp("started_at").toInstant(), finished == null ? null : finished.toInstant(),
                rs.getInt("students"), rs.getInt("students_done"), rs.getInt("students_failed"),
                bytes, rs.getString("file_sha256"), rs.getString("failure"), failures);
    }

    private static boolean chinese(Locale locale) {
        return !"en".equals(locale.getLanguage());
    }

    private String t(String key, Locale locale, Object... args) {
        return messages.getMessage(key, args, locale);
    }
}
