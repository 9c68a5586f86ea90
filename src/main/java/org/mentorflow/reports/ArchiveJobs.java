package org.mentorflow.reports;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Builds the cohorts' archives in the background, on whichever node claims them: a durable job row
 * ({@code mf_cohort_archive}) that survives a restart and is never built by two nodes at once.
 * <p>
 * <b>Claim.</b> A node claims a queued archive (or one whose claim's lease ran out: its node died) with one conditional
 * {@code UPDATE}; two claimants of one row cannot both succeed (the second's condition is checked again on the row the
 * first committed). The lease ({@code mentorflow.archive.claim-lease}, 60 s) is technical time in the database's clock,
 * renewed with every student's progress; a builder whose renewal finds its claim gone (it stalled longer than the lease and
 * another node took over) stops and removes its partial file. After {@code mentorflow.archive.max-attempts} (3) claims that
 * did not finish, the archive is FAILED.
 * <p>
 * <b>Build.</b> Streamed into {@code <directory>/<id>.<claim>.part} and moved to {@code <id>.zip} by the transaction that
 * marks it DONE: a folder per student ({@code <number> <name>/}, the files of {@link StudentArchive#files}, one student's
 * files in memory at a time), then {@code manifest.json} (every file with its size and SHA-256, the students that failed).
 * A student whose files cannot be made is tried once more, then recorded with the reason ({@code
 * mf_cohort_archive_failure}) and left out; the others are written.
 */
@Component
public class ArchiveJobs implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveJobs.class);
    private static final String MANIFEST = "manifest.json";
    private static final long PROGRESS_EVERY = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(300);

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final StudentArchive students;
    private final Clock clock;
    private final Path directory;
    private final int maxAttempts;
    private final String nodeId;
    private final String leaseEnd;
    private final ExecutorService worker;
    private final AtomicBoolean working = new AtomicBoolean();
    private final AtomicBoolean wanted = new AtomicBoolean();
    private final AtomicLong claims = new AtomicLong();
    private volatile boolean stopping;

    ArchiveJobs(JdbcClient jdbc, TransactionTemplate tx, StudentArchive students, Clock clock, DataSource dataSource,
                @Value("${mentorflow.archive.directory:./data/archives}") Path directory,
                @Value("${mentorflow.archive.claim-lease:PT60S}") Duration lease,
                @Value("${mentorflow.archive.max-attempts:3}") int maxAttempts,
                @Value("${mentorflow.mail.node-id:}") String nodeId) throws MetaDataAccessException {
        this.jdbc = jdbc;
        this.tx = tx;
        this.students = students;
        this.clock = clock;
        this.directory = directory.toAbsolutePath().normalize();
        this.maxAttempts = Math.max(1, maxAttempts);
        this.nodeId = nodeId.isBlank() ? "node-" + UUID.randomUUID().toString().substring(0, 8) : nodeId;
        String product = JdbcUtils.extractDatabaseMetaData(dataSource, m -> m.getDatabaseProductName());
        boolean postgres = product != null && product.toLowerCase().contains("postgres");
        this.leaseEnd = postgres ? "current_timestamp + interval '%d milliseconds'".formatted(lease.toMillis())
                : "dateadd(millisecond, %d, current_timestamp)".formatted(lease.toMillis());
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cohort-archive-" + this.nodeId);
            t.setDaemon(true);
            return t;
        });
    }

    /** Where a finished archive lies: named by its id only. */
    Path fileOf(long id) {
        return directory.resolve(id + ".zip");
    }

    /** Builds what waits soon, on this node's worker (calls while it works are folded into it). */
    void buildSoon() {
        wanted.set(true);
        if (stopping || !working.compareAndSet(false, true)) {
            return;
        }
        try {
            worker.execute(() -> {
                try {
                    while (wanted.getAndSet(false) && !stopping) {
                        buildWhatWaits();
                    }
                } finally {
                    working.set(false);
                }
                if (wanted.get()) {
                    buildSoon();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            working.set(false);
        }
    }

    /** Archives queued on another node, or left by a node that died, are found by this sweep. */
    @Scheduled(fixedDelayString = "${mentorflow.archive.sweep-interval:PT10S}")
    void sweep() {
        buildSoon();
    }

    /** Claims and builds, one after another, every archive this node can claim; answers how many it built. */
    public int buildWhatWaits() {
        int built = 0;
        for (Claim claim = claimNext(); claim != null && !stopping; claim = claimNext()) {
            build(claim.id(), claim.token());
            built++;
        }
        return built;
    }

    /** An archive this node holds, and the token its updates must name. */
    record Claim(long id, String token) {
    }

    /** The next archive this node now holds (queued, or its holder's lease over), or null. */
    Claim claimNext() {
        List<Long> candidates = jdbc.sql("""
                select id from mf_cohort_archive where state in ('QUEUED', 'RUNNING')
                   and (claimed_until is null or claimed_until < current_timestamp) order by id""").query(Long.class).list();
        for (long id : candidates) {
            String token = nodeId + "#" + claims.incrementAndGet();
            int claimed = jdbc.sql("""
                    update mf_cohort_archive set state = 'RUNNING', claimed_by = ?, claimed_until = %s, attempts = attempts + 1
                    where id = ? and state in ('QUEUED', 'RUNNING')
                      and (claimed_until is null or claimed_until < current_timestamp)""".formatted(leaseEnd))
                    .params(token, id).update();
            if (claimed == 0) {
                continue; // another node (or thread) was first
            }
            int attempts = jdbc.sql("select attempts from mf_cohort_archive where id = ?").param(id).query(Integer.class).single();
            if (attempts > maxAttempts) {
                finish(id, token, "FAILED", null, null, "Given up after %d attempts that did not finish (a node stopped or ran out of memory while building it)."
                        .formatted(maxAttempts));
                continue;
            }
            return new Claim(id, token);
        }
        return null;
    }

    private record Job(String cohortId, String cohortName, String term, String language, String startedBy,
                       Timestamp startedAt) {
    }

    record Student(String number, String name) {
    }

    /** Builds one claimed archive; whatever happens, the claim is given back or the archive finished. */
    void build(long id, String token) {
        Path part = directory.resolve(id + "." + token.replaceAll("[^A-Za-z0-9_-]", "_") + ".part");
        try {
            Job job = jdbc.sql("""
                            select a.cohort_id, c.name, c.term, a.language, a.started_by, a.started_at
                            from mf_cohort_archive a join mf_cohort c on c.id = a.cohort_id where a.id = ?""").param(id)
                    .query((rs, i) -> new Job(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getTimestamp(6))).single();
            Locale locale = "en".equals(job.language()) ? Locale.ENGLISH : Locale.SIMPLIFIED_CHINESE;
            List<Student> all = jdbc.sql("""
                            select s.student_number, s.name from mf_student s
                            where exists (select 1 from mf_placement p where p.student_number = s.student_number
                                            and p.cohort_id = ? and p.status <> 'CANCELLED')
                            order by s.student_number""").param(job.cohortId())
                    .query((rs, i) -> new Student(rs.getString(1), rs.getString(2))).list();
            // a build taken over from a node that stopped starts again from the first student
            tx.executeWithoutResult(s -> {
                jdbc.sql("delete from mf_cohort_archive_failure where archive_id = ?").param(id).update();
                if (!progress(id, token, all.size(), 0, 0)) {
                    throw new LostClaim();
                }
            });
            Files.createDirectories(directory);
            MessageDigest whole = sha256();
            long bytes;
            try (var file = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(part), 1 << 16), whole);
                 var counted = new Counted(file);
                 var zip = new ZipOutputStream(counted)) {
                List<Map<String, Object>> manifest = new ArrayList<>();
                List<Map<String, Object>> failed = new ArrayList<>();
                int done = 0;
                long reported = System.nanoTime();
                java.util.Set<String> folders = new java.util.HashSet<>();
                for (Student student : all) {
                    List<ArchiveFile> files = filesOf(student, locale, id, failed);
                    if (files != null) {
                        String folder = folder(student, folders);
                        for (ArchiveFile f : files) {
                            manifest.add(StudentArchive.add(zip, folder + safe(f.name()), f.content()));
                        }
                        done++;
                    }
                    // the progress (and the lease) at most every PROGRESS_EVERY, and at once when a student failed: one
                    // commit per student was a tenth of a large cohort's time
                    long now = System.nanoTime();
                    if ((now - reported >= PROGRESS_EVERY || files == null) && !progress(id, token, all.size(), done, failed.size())) {
                        throw new LostClaim();
                    }
                    reported = files == null || now - reported >= PROGRESS_EVERY ? now : reported;
                }
                if (!progress(id, token, all.size(), done, failed.size())) {
                    throw new LostClaim();
                }
                zip.putNextEntry(new ZipEntry(MANIFEST));
                writeManifest(zip, job, id, all.size(), done, failed, manifest);
                zip.closeEntry();
                zip.finish();
                zip.flush();
                bytes = counted.count;
            }
            String sha = HexFormat.of().formatHex(whole.digest());
            if (!finish(id, token, "DONE", part, new long[]{bytes}, sha)) {
                throw new LostClaim();
            }
            LOG.info("Archive {} of cohort {} built: {} students, {} bytes", id, job.cohortId(), all.size(), bytes);
        } catch (LostClaim lost) {
            LOG.warn("Archive {}: this node's claim {} was taken over; its partial file is dropped", id, token);
        } catch (RuntimeException | IOException e) {
            LOG.warn("Archive {} could not be built (attempt by {}): {}", id, token, e.toString());
            // given back: another sweep (here or on another node) tries again, up to the attempts allowed
            try {
                jdbc.sql("update mf_cohort_archive set state = 'QUEUED', claimed_by = null, claimed_until = null, failure = ? "
                                + "where id = ? and claimed_by = ?")
                        .params(shorten(e.toString()), id, token).update();
            } catch (RuntimeException again) {
                LOG.warn("Archive {}: its claim could not be given back; it is retried when the lease is over", id);
            }
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException e) {
                LOG.warn("Archive {}: partial file {} not removed: {}", id, part, e.toString());
            }
        }
    }

    /** One student's files, tried twice; null (and a recorded failure) when both tries failed. */
    private List<ArchiveFile> filesOf(Student student, Locale locale, long id, List<Map<String, Object>> failed) {
        RuntimeException first = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            try {
                return students.files(student.number(), locale);
            } catch (RuntimeException e) {
                first = first == null ? e : first;
                LOG.warn("Archive {}: files of student {} failed (try {}): {}", id, student.number(), attempt, e.toString());
            }
        }
        String reason = shorten(first.getMessage() == null ? first.getClass().getSimpleName() : first.getMessage());
        jdbc.sql("insert into mf_cohort_archive_failure (archive_id, student_number, message) values (?, ?, ?)")
                .params(id, student.number(), reason).update();
        failed.add(new java.util.LinkedHashMap<>(Map.of("student", student.number(), "reason", reason)));
        return null;
    }

    /** The progress, and the claim's lease renewed; false when this node no longer holds the claim. */
    private boolean progress(long id, String token, int total, int done, int failed) {
        return jdbc.sql("""
                        update mf_cohort_archive set students = ?, students_done = ?, students_failed = ?, claimed_until = %s
                        where id = ? and claimed_by = ? and state = 'RUNNING'""".formatted(leaseEnd))
                .params(total, done, failed, id, token).update() == 1;
    }

    /** Ends the build in one transaction: the row (if this node still holds it) and the file moved into place. */
    private boolean finish(long id, String token, String state, Path part, long[] bytes, String shaOrFailure) {
        Boolean finished = tx.execute(s -> {
            boolean done = "DONE".equals(state);
            int rows = jdbc.sql("""
                            update mf_cohort_archive set state = ?, building_cohort = null, finished_at = ?, claimed_by = null,
                                   claimed_until = null, file_bytes = ?, file_sha256 = ?, failure = ?
                            where id = ? and claimed_by = ?""")
                    .params(state, Timestamp.from(clock.instant()), done ? bytes[0] : null, done ? shaOrFailure : null,
                            done ? null : shaOrFailure, id, token).update();
            if (rows == 1 && done) {
                try {
                    Files.move(part, fileOf(id), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    throw new UncheckedIOException(e); // the row stays as it was
                }
            }
            return rows == 1;
        });
        return Boolean.TRUE.equals(finished);
    }

    private void writeManifest(OutputStream zip, Job job, long id, int total, int done, List<Map<String, Object>> failed,
                               List<Map<String, Object>> files) throws IOException {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("archive", id);
        m.put("cohort", job.cohortId());
        m.put("cohortName", job.cohortName());
        m.put("term", job.term());
        m.put("language", job.language());
        m.put("startedBy", job.startedBy());
        m.put("startedAt", job.startedAt().toInstant().toString());
        m.put("generatedAt", clock.instant().toString());
        m.put("students", total);
        m.put("studentsWritten", done);
        m.put("failed", failed);
        m.put("files", files);
        ObjectMapper mapper = new ObjectMapper();
        try (JsonGenerator g = mapper.getFactory().createGenerator(new NotClosing(zip), JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            mapper.writeValue(g, m);
        }
    }

    /**
     * A student's folder: number and name, with nothing that could climb out of the folder when unzipped (no separators,
     * no "..", no control characters); the number keeps two students of one name apart.
     */
    static String folder(Student student, java.util.Set<String> taken) {
        String base = safe(student.number() + " " + student.name());
        String name = base;
        for (int n = 2; !taken.add(name); n++) {
            name = base + " (" + n + ")";
        }
        return name + "/";
    }

    static String safe(String name) {
        String s = name.replaceAll("[\\p{Cntrl}/\\\\:*?\"<>|]", "_").replaceAll("^[\\s.]+", "").strip();
        return s.isEmpty() ? "_" : s.length() > 120 ? s.substring(0, 120) : s;
    }

    private static String shorten(String s) {
        return s == null ? "" : s.length() <= 2000 ? s : s.substring(0, 1999) + "…";
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void destroy() {
        stopping = true;
        worker.shutdownNow();
    }

    /** This node's claim was taken over by another: stop, write nothing more. */
    private static final class LostClaim extends RuntimeException {
        LostClaim() {
            super(null, null, false, false);
        }
    }

    /** Counts the bytes of the ZIP as written to the file. */
    private static final class Counted extends java.io.FilterOutputStream {
        long count;

        Counted(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    /** The manifest's writer closes its stream; the ZIP entry must stay open. */
    private static final class NotClosing extends java.io.FilterOutputStream {
        NotClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
