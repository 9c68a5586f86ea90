package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.zip.ZipFile;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Not part of {@code ./mvnw verify}: {@code ./mvnw -o verify -Pbenchmark -Dit.test=CohortArchiveBenchmark}. A cohort of
 * {@code benchmark.archive.students} (1,000) students, each with a semester of records ({@code benchmark.archive.weeks},
 * 18 weekly reports with two reviews each, attendance, leave, three appraisals, a grade), archived through the API as a
 * coordinator does, on the tests' PostgreSQL; prints the time from the start to DONE, students per second, the ZIP's
 * size and the heap's peak during the build, then checks every file of the ZIP against the manifest. Issue 11's target:
 * under two minutes.
 */
class CohortArchiveBenchmark extends RealStackTest {

    static final int STUDENTS = Integer.getInteger("benchmark.archive.students", 1_000);
    static final int WEEKS = Integer.getInteger("benchmark.archive.weeks", 18);

    @Test
    void archivesACohortOfAThousandStudents() throws Exception {
        new TestSchool(jdbc, identity, "BENCH-ARC", "2026-2027-1", 1).coordinator("benchcoord");
        ArchiveCohort.write(jdbc, "BENCH-ARC", "B", STUDENTS, WEEKS);
        Caller coordinator = Caller.session(port, "benchcoord");
        ObjectMapper json = new ObjectMapper();

        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        long heapBefore = heapUsed();
        long t0 = System.nanoTime();
        var started = coordinator.json("POST", "/api/cohorts/BENCH-ARC/archives", null);
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String location = started.header("Location");
        JsonNode[] last = new JsonNode[1];
        Awaitility.await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(250)).until(() -> {
            last[0] = json.readTree(coordinator.json("GET", location, null).body());
            String state = last[0].get("state").asText();
            return "DONE".equals(state) || "FAILED".equals(state);
        });
        double seconds = (System.nanoTime() - t0) / 1e9;
        long peak = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        JsonNode done = last[0];
        assertThat(done.get("state").asText()).isEqualTo("DONE");
        assertThat(done.get("studentsDone").asInt()).isEqualTo(STUDENTS);

        Path zip = Path.of("target", "archives", done.get("id").asText() + ".zip");
        int files = 0;
        try (var z = new ZipFile(zip.toFile())) {
            JsonNode manifest = json.readTree(z.getInputStream(z.getEntry("manifest.json")));
            for (JsonNode entry : manifest.get("files")) {
                try (var in = z.getInputStream(z.getEntry(entry.get("file").asText()))) {
                    byte[] content = in.readAllBytes();
                    assertThat(content).hasSize(entry.get("bytes").asInt());
                    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)))
                            .isEqualTo(entry.get("sha256").asText());
                }
                files++;
            }
            assertThat(z.size()).isEqualTo(files + 1);
        }
        var threads = ManagementFactory.getThreadMXBean();
        long builderCpu = java.util.Arrays.stream(threads.getThreadInfo(threads.getAllThreadIds()))
                .filter(t -> t != null && t.getThreadName().startsWith("cohort-archive-"))
                .mapToLong(t -> threads.getThreadCpuTime(t.getThreadId())).sum();
        System.out.printf("[archive] %d students x %d weeks: DONE in %.1f s (%.1f students/s; the builder's thread used %.1f s "
                        + "of CPU), %d files, ZIP %.1f MB, heap before %d MB, peak during the build %d MB (heap max %d MB), "
                        + "load average %.1f on %d cores%n",
                STUDENTS, WEEKS, seconds, STUDENTS / seconds, builderCpu / 1e9, files, done.get("bytes").asLong() / 1e6,
                heapBefore >> 20, peak >> 20, Runtime.getRuntime().maxMemory() >> 20,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
        assertThat(seconds).as("issue 11: a cohort of 1,000 within two minutes").isLessThan(120);
    }

    private static long heapUsed() {
        return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    }
}
