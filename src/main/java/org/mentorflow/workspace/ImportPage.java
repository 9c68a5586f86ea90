package org.mentorflow.workspace;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.imports.ImportTemplate;
import org.mentorflow.imports.SchoolImport;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A coordinator's import (导入) of enterprises, site visits, positions, mentors and students: download the template, fill
 * it, upload it. "Check" reads and checks the whole file and shows the counts per sheet, writing nothing; "Import" does
 * the same and writes it all, or, with any mistake, nothing: every mistake is listed with its sheet, row, column and
 * reason in the person's language.
 */
@Controller
class ImportPage {

    private static final String REFUSAL = "refused.imports.coordinatorsOnly";

    private final CurrentUser currentUser;
    private final SchoolImport imports;
    private final ImportTemplate template;
    private final WorkspaceAdvice advice;

    ImportPage(CurrentUser currentUser, SchoolImport imports, ImportTemplate template, WorkspaceAdvice advice) {
        this.currentUser = currentUser;
        this.imports = imports;
        this.template = template;
        this.advice = advice;
    }

    /** A body that is no well-formed upload: the page again, saying to choose a file (larger ones: BodyLimits, 413). */
    @org.springframework.web.bind.annotation.ExceptionHandler(org.springframework.web.multipart.MultipartException.class)
    String notAnUpload(jakarta.servlet.http.HttpServletRequest request, HttpServletResponse response, Model model) {
        advice.fill(model, request);
        if (!currentUser.isCoordinator()) {
            return WorkspaceAdvice.page(403, null, response, model);
        }
        response.setStatus(400);
        model.addAttribute("noFile", true);
        return "app/import";
    }

    @GetMapping("/app/import")
    String page() {
        currentUser.requireCoordinator(REFUSAL);
        return "app/import";
    }

    @GetMapping("/app/import/template.xlsx")
    ResponseEntity<byte[]> template() {
        currentUser.requireCoordinator(REFUSAL);
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename("mentorflow-导入模板-import-template.xlsx", java.nio.charset.StandardCharsets.UTF_8).build().toString())
                .contentType(MediaType.parseMediaType(ImportTemplate.XLSX))
                .body(template.xlsx());
    }

    @PostMapping("/app/import")
    String upload(@RequestParam(required = false) MultipartFile file, @RequestParam(required = false) String action,
                  Model model, Locale locale, HttpServletResponse response, RedirectAttributes redirect) throws IOException {
        currentUser.requireCoordinator(REFUSAL);
        boolean write = "import".equals(action);
        if (file == null || file.isEmpty() && (file.getOriginalFilename() == null || file.getOriginalFilename().isBlank())) {
            response.setStatus(400);
            model.addAttribute("noFile", true);
            return "app/import";
        }
        SchoolImport.Result result = imports.run(file.getBytes(), write, locale);
        if (!result.ok()) {
            response.setStatus(400);
        } else if (result.imported()) {
            // the flash lives in the session (in the database): plain serializable values only
            var counts = new java.util.LinkedHashMap<String, Integer>();
            result.counts().forEach(c -> counts.put(c.sheet(), c.rows()));
            redirect.addFlashAttribute("imported", counts);
            redirect.addFlashAttribute("importedRows", result.rows());
            return "redirect:/app/import";
        }
        model.addAttribute("result", result);
        model.addAttribute("fileName", file.getOriginalFilename());
        return "app/import";
    }
}
