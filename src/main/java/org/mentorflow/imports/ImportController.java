package org.mentorflow.imports;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.util.Locale;
import org.mentorflow.common.CurrentUser;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.MultipartFile;

@RestController
@Tag(name = "Import", description = "Enterprises, site visits, positions, mentors and students from the XLSX template (coordinators)")
class ImportController {

    private final SchoolImport imports;
    private final ImportTemplate template;
    private final CurrentUser currentUser;
    private final MessageSource messages;

    ImportController(SchoolImport imports, ImportTemplate template, CurrentUser currentUser, MessageSource messages) {
        this.imports = imports;
        this.template = template;
        this.currentUser = currentUser;
        this.messages = messages;
    }

    @GetMapping("/api/imports/template")
    @Operation(summary = "The import template (XLSX): instructions, one sheet per kind of record, the school's codes")
    ResponseEntity<byte[]> template() {
        currentUser.requireCoordinator("refused.imports.coordinatorsOnly");
        return file(template.xlsx());
    }

    @PostMapping(path = "/api/imports", consumes = MediaType.ALL_VALUE)
    @Operation(summary = "Import a filled template, all or nothing", description = """
            multipart/form-data with the file as `file`; `dryRun=true` checks the whole file and answers the counts
            without writing anything. Every row is checked first, through the same services as the API (the
            regulation's position-gates included); a file with any mistake imports nothing and answers 400 with
            `mistakes`: each with sheet, row, column and reason in the caller's language. At most 5,000 rows and 5 MB.""")
    ResponseEntity<Object> upload(@RequestParam(required = false) MultipartFile file,
                                  @RequestParam(required = false, defaultValue = "false") boolean dryRun) throws IOException {
        currentUser.requireCoordinator("refused.imports.coordinatorsOnly");
        Locale locale = LocaleContextHolder.getLocale();
        if (file == null) {
            return ResponseEntity.badRequest().body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    messages.getMessage("import.file.none", null, locale)));
        }
        SchoolImport.Result result = imports.run(file.getBytes(), !dryRun, locale);
        if (!result.ok()) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    messages.getMessage("import.refused.summary", new Object[]{result.mistakes().size()}, locale));
            problem.setProperty("mistakes", result.mistakes());
            return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
        return ResponseEntity.status(result.imported() ? HttpStatus.CREATED : HttpStatus.OK).body(result);
    }

    /** Larger than the upload limit (BodyLimits refuses most such bodies by their length before they are read). */
    @ExceptionHandler(org.springframework.web.multipart.MaxUploadSizeExceededException.class)
    ResponseEntity<ProblemDetail> tooLarge() {
        return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(ProblemDetail.forStatusAndDetail(
                HttpStatus.PAYLOAD_TOO_LARGE, messages.getMessage("import.file.tooBig", null, LocaleContextHolder.getLocale())));
    }

    /** A body that is no well-formed multipart upload. */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> notMultipart(MultipartException e) {
        if (!currentUser.isCoordinator()) {
            return ResponseEntity.status(HttpStatus.FORBIDDEN).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(
                    ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, "Only coordinators import the school's records."));
        }
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(ProblemDetail.forStatusAndDetail(
                HttpStatus.BAD_REQUEST, messages.getMessage("import.file.none", null, LocaleContextHolder.getLocale())));
    }

    static ResponseEntity<byte[]> file(byte[] bytes) {
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename("mentorflow-导入模板-import-template.xlsx", java.nio.charset.StandardCharsets.UTF_8).build().toString())
                .contentType(MediaType.parseMediaType(ImportTemplate.XLSX))
                .body(bytes);
    }
}
