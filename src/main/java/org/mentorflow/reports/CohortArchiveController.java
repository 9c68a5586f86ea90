package org.mentorflow.reports;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.RefusedException;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Cohort archives", description = "A cohort's archive as one ZIP, built in the background (coordinators)")
class CohortArchiveController {

    private final CohortArchives archives;
    private static final String COORDINATORS_ONLY = "archive.cohort.refused.coordinator";
    private final CurrentUser currentUser;

    CohortArchiveController(CohortArchives archives, CurrentUser currentUser) {
        this.archives = archives;
        this.currentUser = currentUser;
    }

    @PostMapping("/api/cohorts/{cohortId}/archives")
    @Operation(summary = "Start building the cohort's archive (coordinators)",
            description = "202 with the archive's location; its progress is read there. 409 while another archive of the "
                    + "cohort is being built. The archive's texts are in the caller's language.")
    ResponseEntity<CohortArchives.Archive> start(@PathVariable String cohortId, Locale locale) {
        String user = currentUser.requireCoordinator(COORDINATORS_ONLY);
        var archive = archives.start(cohortId, user, locale);
        return ResponseEntity.accepted().location(URI.create(archive.path())).body(archive);
    }

    @GetMapping("/api/cohorts/{cohortId}/archives")
    @Operation(summary = "The cohort's archives, newest first: who started each, when, its state and progress (coordinators)")
    List<CohortArchives.Archive> list(@PathVariable String cohortId, Locale locale) {
        currentUser.requireCoordinator(COORDINATORS_ONLY);
        return archives.ofCohort(cohortId, locale);
    }

    @GetMapping("/api/cohorts/{cohortId}/archives/{archiveId}")
    @Operation(summary = "One archive's progress: state, students handled of all, the students that failed and why, "
            + "and its download once it is DONE (coordinators)")
    CohortArchives.Archive one(@PathVariable String cohortId, @PathVariable long archiveId, Locale locale) {
        currentUser.requireCoordinator(COORDINATORS_ONLY);
        return archives.one(cohortId, archiveId, locale);
    }

    @GetMapping("/api/cohorts/{cohortId}/archives/{archiveId}/file")
    @Operation(summary = "The finished archive as ZIP (coordinators); 409 while it is being built")
    ResponseEntity<Resource> file(@PathVariable String cohortId, @PathVariable long archiveId, Locale locale) {
        currentUser.requireCoordinator(COORDINATORS_ONLY);
        return download(archives.download(cohortId, archiveId, locale));
    }

    /** The file as an attachment, streamed from disk. */
    static ResponseEntity<Resource> download(CohortArchives.Download d) {
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(d.filename(), StandardCharsets.UTF_8).build().toString())
                .contentType(MediaType.parseMediaType("application/zip"))
                .contentLength(d.bytes())
                .body(new FileSystemResource(d.file()));
    }
}
