package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.zip.ZipInputStream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mentorflow.reports.ArchiveJobs;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A cohort's archive (issue 11) through the API on PostgreSQL: built in the background, its progress read while another
 * node holds it and after, the ZIP unzipped against its manifest (every file's size and SHA-256), one student whose
 * records cannot be read reported and left out while the others are written, a claim held by a live node never taken,
 * a dead node's taken over once, two claimants at the same moment build it once, and the refusals (not a coordinator,
 * unknown cohort or archive, a second start while one is built: 409 in the person's language, a download before it is
 * done).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CohortArchiveIT extends RealStackTest {

    private static final String COHORT = "ARC";
    private static final String OTHER = "ARC2";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    ArchiveJobs jobs;
    @Autowired
    ArchiveFaults faults;

    @BeforeAll
    void cohorts() {
        TestSchool.majors(jdbc);
        new TestSchool(jdbc, identity, COHORT, "2026-2027-1", 1).coordinator("arccoord").coordinator("arccoorden").enterprise("arc-boss-co", "arcboss");
        new TestSchool(jdbc, identity, OTHER, "2026-2027-1", 1).student("ARCST", "MECH", java.time.LocalDate.of(2005, 1, 1));
        ArchiveCohort.write(jdbc, COHORT, "ARC", 3, 4);
        ArchiveCohort.write(jdbc, OTHER, "ARB", 2, 1);
    }

    @Test
    void buildsTheCohortsArchiveInTheBackgroundWithAManifestThatMatchesEveryFile() throws Exception {
        Caller coordinator = Caller.session(port, "arccoord");
        var started = coordinator.json("POST", "/api/cohorts/" + COHORT + "/archives", null);
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String location = started.header("Location");
        JsonNode archive = JSON.readTree(started.body());
        assertThat(location).isEqualTo("/api/cohorts/ARC/archives/" + archive.get("id").asLong());
        assertThat(archive.get("startedBy").asText()).isEqualTo("arccoord");

        JsonNode done = awaitFinished(coordinator, location);
        assertThat(done.get("state").asText()).isEqualTo("DONE");
        assertThat(done.get("students").asInt()).isEqualTo(3);
        assertThat(done.get("studentsDone").asInt()).isEqualTo(3);
        assertThat(done.get("studentsFailed").asInt()).isZero();
        assertThat(done.get("download").asText()).isEqualTo(location + "/file");

        var zip = coordinator.download(location + "/file");
        assertThat(zip.status()).isEqualTo(200);
        assertThat(zip.headers().firstValue("Content-Type").orElse("")).isEqualTo("application/zip");
        assertThat(zip.headers().firstValue("Content-Disposition").orElse(""))
                .startsWith("attachment;").contains("filename*=UTF-8''").contains(".zip");
        assertThat(zip.body()).hasSize(done.get("bytes").asInt());
        assertThat(sha256(zip.body())).isEqualTo(done.get("sha256").asText());

        Map<String, byte[]> files = unzip(zip.body());
        assertThat(files.keySet()).filteredOn(n -> n.startsWith("ARC0001 学生1/")).containsExactly(
                "ARC0001 学生1/实习鉴定表.pdf", "ARC0001 学生1/三方协议.csv", "ARC0001 学生1/周志.csv",
                "ARC0001 学生1/周志批阅.csv", "ARC0001 学生1/考勤.csv", "ARC0001 学生1/请假.csv", "ARC0001 学生1/鉴定.csv");
        assertThat(files.keySet()).last().isEqualTo("manifest.json");
        JsonNode manifest = JSON.readTree(files.get("manifest.json"));
        assertThat(manifest.get("cohort").asText()).isEqualTo(COHORT);
        assertThat(manifest.get("students").asInt()).isEqualTo(3);
        assertThat(manifest.get("startedBy").asText()).isEqualTo("arccoord");
        assertThat(manifest.get("failed")).isEmpty();
        assertThat(manifest.get("files")).hasSize(files.size() - 1).hasSize(21);
        for (JsonNode entry : manifest.get("files")) {
            byte[] content = files.get(entry.get("file").asText());
            assertThat(content).as(entry.get("file").asText()).isNotNull();
            assertThat(entry.get("bytes").asInt()).isEqualTo(content.length);
            assertThat(entry.get("sha256").asText()).isEqualTo(sha256(content));
        }
        assertThat(new String(files.get("ARC0002 学生2/请假.csv"), StandardCharsets.UTF_8))
                .contains("开始日期,结束日期,工作日数,请假类型", "发烧");
        assertThat(new String(files.get("ARC0003 学生3/周志.csv"), StandardCharsets.UTF_8).split("\r\n")).hasSize(5);
        try (var pdf = Loader.loadPDF(files.get("ARC0003 学生3/实习鉴定表.pdf"))) {
            assertThat(pdf.getNumberOfPages()).isEqualTo(1);
            assertThat(new PDFTextStripper().getText(pdf)).contains("学生岗位实习鉴定表", "ARC0003");
        }

        // kept and listed with who started it and when; the page shows it with its download
        var list = JSON.readTree(coordinator.json("GET", "/api/cohorts/" + COHORT + "/archives", null).body());
        assertThat(list.findValuesAsText("id")).contains(archive.get("id").asText());
        var page = coordinator.send("GET", "/app/archives?cohort=" + COHORT, null, null, "text/html");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("班级实习档案", "已完成", "发起人：arccoord", location + "/file", "<progress");
    }

    @Test
    void progressWhileItIsBuiltAndAStudentWhoseFilesFailIsReportedWhileTheOthersAreWritten() throws Exception {
        faults.fail("ARB0001");
        faults.holdAt("ARB0002");
        try {
            Caller coordinator = Caller.session(port, "arccoord");
            var started = coordinator.json("POST", "/api/cohorts/" + OTHER + "/archives", null);
            assertThat(started.status()).as(started.body()).isEqualTo(202);
            String location = started.header("Location");
            // held at the second student: the first failed (tried twice), the progress says so while it runs
            assertThat(faults.awaitHeld()).isTrue();
            JsonNode running = JSON.readTree(coordinator.json("GET", location, null).body());
            assertThat(running.get("state").asText()).isEqualTo("RUNNING");
            assertThat(running.get("students").asInt()).isEqualTo(2);
            assertThat(running.get("studentsDone").asInt()).isZero();
            assertThat(running.get("studentsFailed").asInt()).isEqualTo(1);
            assertThat(running.get("handled").asInt()).isEqualTo(1);
            assertThat(running.has("download")).isFalse();
            var page = coordinator.send("GET", "/app/archives?cohort=" + OTHER, null, null, "text/html");
            assertThat(page.body()).contains("生成中", "已写入 0 / 2 名学生，失败 1 名", "http-equiv=\"refresh\"", "ARB0001");
            // kept for looking at (rendered at 390 px, see README)
            java.nio.file.Files.writeString(java.nio.file.Path.of("target", "archives-page-running.html"), page.body());
            faults.letGo();

            JsonNode done = awaitFinished(coordinator, location);
            assertThat(done.get("state").asText()).isEqualTo("DONE");
            assertThat(done.get("studentsDone").asInt()).isEqualTo(1);
            assertThat(done.get("studentsFailed").asInt()).isEqualTo(1);
            assertThat(done.get("failures")).hasSize(1);
            assertThat(done.get("failures").get(0).get("studentNumber").asText()).isEqualTo("ARB0001");
            assertThat(done.get("failures").get(0).get("message").asText()).contains("cannot be read");

            Map<String, byte[]> files = unzip(coordinator.download(location + "/file").body());
            assertThat(files.keySet()).noneMatch(n -> n.startsWith("ARB0001")).anyMatch(n -> n.startsWith("ARB0002 学生2/"));
            JsonNode manifest = JSON.readTree(files.get("manifest.json"));
            assertThat(manifest.get("failed").get(0).get("student").asText()).isEqualTo("ARB0001");
            assertThat(manifest.get("studentsWritten").asInt()).isEqualTo(1);
            page = coordinator.send("GET", "/app/archives?cohort=" + OTHER, null, null, "text/html");
            assertThat(page.body()).contains("ARB0001", "已写入 1 / 2 名学生，失败 1 名").doesNotContain("http-equiv=\"refresh\"");
            java.nio.file.Files.writeString(java.nio.file.Path.of("target", "archives-page-done.html"), page.body());
        } finally {
            faults.reset();
        }
    }

    @Test
    void aLiveNodesClaimIsLeftAloneADeadNodesIsTakenOverOnceAndASecondStartIsRefused() throws Exception {
        // node B holds the cohort's archive, renewed a moment ago, one student done of three
        long id = jdbc.sql("""
                insert into mf_cohort_archive (cohort_id, building_cohort, state, language, started_by, started_at, students,
                                               students_done, attempts, claimed_by, claimed_until)
                values (?, ?, 'RUNNING', 'zh-CN', 'arccoord', timestamp '2026-06-24 09:58:00', 3, 1, 1, 'nodeb#7',
                        current_timestamp + interval '10 minutes') returning id""").params(COHORT, COHORT)
                .query(Long.class).single();
        Caller coordinator = Caller.session(port, "arccoord");
        String location = "/api/cohorts/" + COHORT + "/archives/" + id;
        JsonNode running = JSON.readTree(coordinator.json("GET", location, null).body());
        assertThat(running.get("state").asText()).isEqualTo("RUNNING");
        assertThat(running.get("studentsDone").asInt()).isEqualTo(1);
        assertThat(running.get("students").asInt()).isEqualTo(3);
        assertThat(running.has("download")).isFalse();

        // a second start while it is built: 409 in the person's language, nothing queued
        var again = coordinator.json("POST", "/api/cohorts/" + COHORT + "/archives", null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body()).contains("这个班级的档案正在生成", "arccoord", "2026年6月24日 09:58", "1 / 3");
        Caller english = Caller.session(port, "arccoorden");
        assertThat(english.json("PUT", "/api/mail-preferences/arccoorden", "{\"language\":\"en\"}").status()).isLessThan(300);
        var inEnglish = english.json("POST", "/api/cohorts/" + COHORT + "/archives", null);
        assertThat(inEnglish.status()).isEqualTo(409);
        assertThat(inEnglish.body()).contains("An archive of this cohort is being built", "2026-06-24 09:58");
        var form = coordinator.sendForm("/app/archives", "cohort=" + COHORT + "&_csrf=" + coordinator.csrfToken());
        assertThat(form.status()).isEqualTo(409);
        assertThat(form.body()).contains("这个班级的档案正在生成");
        assertThat(coordinator.download(location + "/file").status()).isEqualTo(409);
        assertThat(jdbc.sql("select count(*) from mf_cohort_archive where cohort_id = ? and state in ('QUEUED', 'RUNNING')")
                .param(COHORT).query(Integer.class).single()).isEqualTo(1);

        // this node leaves a live claim alone (also its own sweeps, every second in the tests)
        assertThat(jobs.buildWhatWaits()).isZero();
        Thread.sleep(1500);
        assertThat(jdbc.sql("select claimed_by from mf_cohort_archive where id = ?").param(id).query(String.class).single())
                .isEqualTo("nodeb#7");

        // node B died: its lease runs out, this node takes the archive over and builds it from the first student
        jdbc.sql("update mf_cohort_archive set claimed_until = current_timestamp - interval '1 second' where id = ?")
                .param(id).update();
        JsonNode done = awaitFinished(coordinator, location);
        assertThat(done.get("state").asText()).isEqualTo("DONE");
        assertThat(done.get("studentsDone").asInt()).isEqualTo(3);
        assertThat(jdbc.sql("select attempts from mf_cohort_archive where id = ?").param(id).query(Integer.class).single())
                .isEqualTo(2);
        assertThat(unzip(coordinator.download(location + "/file").body())).containsKey("ARC0003 学生3/鉴定.csv");
    }

    @Test
    void twoClaimantsAtTheSameMomentBuildItOnce() throws Exception {
        long id = jdbc.sql("""
                insert into mf_cohort_archive (cohort_id, building_cohort, state, language, started_by, started_at)
                values (?, ?, 'QUEUED', 'en', 'arccoord', timestamp '2026-06-24 10:00:00') returning id""")
                .params(OTHER, OTHER).query(Long.class).single();
        var barrier = new CyclicBarrier(2);
        var a = CompletableFuture.supplyAsync(() -> claimAfter(barrier));
        var b = CompletableFuture.supplyAsync(() -> claimAfter(barrier));
        // the two (and this node's sweep, which may have been first) built it once: one claim
        assertThat(a.get() + b.get()).isLessThanOrEqualTo(1);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "DONE".equals(
                jdbc.sql("select state from mf_cohort_archive where id = ?").param(id).query(String.class).single()));
        assertThat(jdbc.sql("select attempts from mf_cohort_archive where id = ?").param(id).query(Integer.class).single())
                .isEqualTo(1);
        // built in English, the language of whoever started it
        Caller coordinator = Caller.session(port, "arccoord");
        var files = unzip(coordinator.download("/api/cohorts/" + OTHER + "/archives/" + id + "/file").body());
        assertThat(files).containsKey("ARB0002 学生2/Leave.csv");
    }

    @Test
    void onlyCoordinatorsAndOnlyArchivesOfTheCohortNamedByIds() {
        Caller coordinator = Caller.session(port, "arccoord");
        var unknown = coordinator.json("POST", "/api/cohorts/NOPE/archives", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).contains("没有班级");
        assertThat(coordinator.json("GET", "/api/cohorts/NOPE/archives", null).status()).isEqualTo(404);
        assertThat(coordinator.json("GET", "/api/cohorts/ARC/archives/999999", null).status()).isEqualTo(404);
        assertThat(coordinator.download("/api/cohorts/ARC/archives/999999/file").status()).isEqualTo(404);
        assertThat(coordinator.download("/api/cohorts/ARC/archives/..%2F..%2Fetc%2Fpasswd/file").status()).isIn(400, 404);
        assertThat(coordinator.json("GET", "/api/cohorts/ARC/archives/abc", null).status()).isEqualTo(400);
        // an archive of another cohort is not found under this one
        long other = jdbc.sql("""
                insert into mf_cohort_archive (cohort_id, state, language, started_by, started_at)
                values (?, 'FAILED', 'zh-CN', 'arccoord', timestamp '2026-06-24 10:00:00') returning id""").param(OTHER)
                .query(Long.class).single();
        assertThat(coordinator.json("GET", "/api/cohorts/ARC/archives/" + other, null).status()).isEqualTo(404);
        assertThat(coordinator.download("/api/cohorts/ARC/archives/" + other + "/file").status()).isEqualTo(404);
        assertThat(coordinator.download("/api/cohorts/ARC2/archives/" + other + "/file").status()).isEqualTo(409);

        Caller boss = Caller.session(port, "arcboss");
        var refused = boss.json("POST", "/api/cohorts/ARC/archives", null);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("只有实习管理员");
        assertThat(boss.download("/api/cohorts/ARC/archives/" + other + "/file").status()).isEqualTo(403);
        assertThat(boss.send("GET", "/app/archives?cohort=ARC", null, null, "text/html").status()).isEqualTo(403);
        assertThat(Caller.anonymous(port).json("POST", "/api/cohorts/ARC/archives", null).status()).isIn(401, 403);
        assertThat(jdbc.sql("select count(*) from mf_cohort_archive where started_by = 'arcboss'").query(Integer.class)
                .single()).isZero();
    }

    private int claimAfter(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return jobs.buildWhatWaits();
    }

    private static JsonNode awaitFinished(Caller coordinator, String location) throws Exception {
        JsonNode[] last = new JsonNode[1];
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            var answer = coordinator.json("GET", location, null);
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            last[0] = JSON.readTree(answer.body());
            String state = last[0].get("state").asText();
            return state.equals("DONE") || state.equals("FAILED");
        });
        return last[0];
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (var in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                assertThat(e.getName()).doesNotContain("..").doesNotStartWith("/");
                files.put(e.getName(), in.readAllBytes());
            }
        }
        return files;
    }

    private static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}
