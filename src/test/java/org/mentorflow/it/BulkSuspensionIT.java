package org.mentorflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An administrator's bulk suspension that names an instance that does not exist is 404 and changes nothing: no instance
 * suspended, no operation-log entry (the engine alone would answer 204 and log it). A list of real ids still works.
 */
class BulkSuspensionIT extends RealStackTest {

    private static final String BULK = "/engine-rest/process-instance/suspended";

    @Autowired
    RuntimeService runtime;

    @Test
    void unknownInstancesInABulkSuspensionAre404AndNotLogged() {
        TestSchool.majors(jdbc);
        LocalDate start = clock.today().plusDays(30);
        var school = new TestSchool(jdbc, identity, "IT-SUSP", "2026-susp", 1).coordinator("spcoord").admin("spadmin")
                .enterprise("spent", "spboss").schoolMentor("spteach", "MECH", 10);
        school.position("spent", "MECH", "Fitter", 1, start, start.plusDays(60));
        String student = school.student("2689001", "MECH", LocalDate.of(2005, 4, 4));
        var lifecycle = new Http(port).post("spcoord", "/api/lifecycles", Map.of("studentNumber", "2689001", "term", "2026-susp"));
        assertThat(lifecycle.status()).as(lifecycle.raw()).isEqualTo(201);
        String pi = taskService.createTaskQuery().taskAssignee(student).singleResult().getProcessInstanceId();
        Caller admin = Caller.basic(port, "spadmin");
        int logged = loggedBy("spadmin");

        var unknown = admin.json("PUT", BULK, "{\"processInstanceIds\":[\"no-such-instance\"],\"suspended\":true}");
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(404);
        assertThat(unknown.body()).contains("There is no process instance no-such-instance");
        var mixed = admin.json("PUT", BULK, "{\"processInstanceIds\":[\"" + pi + "\",\"no-such-instance\"],\"suspended\":true}");
        assertThat(mixed.status()).as(mixed.body()).isEqualTo(404);
        assertThat(mixed.body()).doesNotContain(pi);
        var async = admin.json("PUT", BULK + "-async", "{\"processInstanceIds\":[\"no-such-instance\"],\"suspended\":true}");
        assertThat(async.status()).as(async.body()).isEqualTo(404);
        var web = Caller.session(port, "spadmin", "cockpit")
                .json("PUT", "/camunda/api/engine/engine/default/process-instance/suspended",
                        "{\"processInstanceIds\":[\"no-such-instance\"],\"suspended\":true}");
        assertThat(web.status()).as(web.body()).isEqualTo(404);
        assertThat(runtime.createProcessInstanceQuery().processInstanceId(pi).suspended().count()).isZero();
        assertThat(loggedBy("spadmin")).isEqualTo(logged);

        // real ids: the body reaches the engine unchanged
        var suspend = admin.json("PUT", BULK, "{\"processInstanceIds\":[\"" + pi + "\"],\"suspended\":true}");
        assertThat(suspend.status()).as(suspend.body()).isEqualTo(204);
        assertThat(runtime.createProcessInstanceQuery().processInstanceId(pi).suspended().count()).isEqualTo(1);
        var activate = admin.json("PUT", BULK, "{\"processInstanceIds\":[\"" + pi + "\"],\"suspended\":false}");
        assertThat(activate.status()).as(activate.body()).isEqualTo(204);
        assertThat(runtime.createProcessInstanceQuery().processInstanceId(pi).active().count()).isEqualTo(1);
        assertThat(loggedBy("spadmin")).isGreaterThan(logged);
    }

    private int loggedBy(String user) {
        return jdbc.sql("select count(*) from act_hi_op_log where user_id_ = ?").param(user).query(Integer.class).single();
    }
}
