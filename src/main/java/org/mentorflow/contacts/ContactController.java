package org.mentorflow.contacts;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.mentorflow.access.StudentAccess;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.RefusedException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Mentor contacts", description = "The school mentor's visits and calls during supervision (巡查/走访)")
class ContactController {

    private final StudentAccess access;
    private final MentorContacts contacts;
    private final CurrentUser currentUser;

    ContactController(StudentAccess access, MentorContacts contacts, CurrentUser currentUser) {
        this.access = access;
        this.contacts = contacts;
        this.currentUser = currentUser;
    }

    @PostMapping("/api/students/{number}/contacts")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Record a contact with the student (their school mentor, during supervision)",
            description = "date (not in the future, not before the placement), kind (VISIT, PHONE, VIDEO, ONLINE), notes. "
                    + "Resets the contact clock (mentorflow.regulation.contact-interval).")
    Map<String, Object> record(@PathVariable String number, @RequestBody MentorContacts.Contact contact) {
        var visible = access.require(number);
        if (visible.relation() != StudentAccess.Relation.SCHOOL_MENTOR) {
            throw RefusedException.forbidden("refused.contacts.notSchoolMentor", visible.student().name());
        }
        return contacts.record(visible.student(), contact);
    }

    @GetMapping("/api/students/{number}/contacts")
    @Operation(summary = "The school mentor's contacts with the student (the student, their mentors, coordinators)")
    List<Map<String, Object>> list(@PathVariable String number) {
        return contacts.contactsOf(access.require(number).student().number());
    }

    @GetMapping("/api/cohorts/{id}/contacts")
    @Operation(summary = "Contacts per school mentor in a cohort, with their students overdue (coordinators)")
    List<Map<String, Object>> figures(@PathVariable String id) {
        currentUser.requireCoordinator("refused.contacts.coordinatorsOnly");
        return contacts.figuresOfCohort(id);
    }
}
