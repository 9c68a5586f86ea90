package org.mentorflow.school;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.springframework.stereotype.Component;

/** The engine's users and groups, created only when missing: one identity for Tasklist, Cockpit and our API. */
@Component
public class People {

    private final IdentityService identity;

    People(IdentityService identity) {
        this.identity = identity;
    }

    public boolean exists(String username) {
        return identity.createUserQuery().userId(username).count() > 0;
    }

    public void createUser(String username, String firstName, String lastName, String email, String password) {
        if (exists(username)) {
            return;
        }
        User u = identity.newUser(username);
        u.setFirstName(firstName);
        u.setLastName(lastName);
        u.setEmail(email);
        u.setPassword(password);
        identity.saveUser(u);
    }

    public void group(String id, String name) {
        if (identity.createGroupQuery().groupId(id).count() == 0) {
            Group g = identity.newGroup(id);
            g.setName(name);
            g.setType("WORKFLOW");
            identity.saveGroup(g);
        }
    }

    /** Makes the user a member of the group, creating the group if needed. */
    public void membership(String username, String groupId) {
        group(groupId, groupId);
        if (identity.createUserQuery().userId(username).memberOfGroup(groupId).count() == 0) {
            identity.createMembership(username, groupId);
        }
    }
}
