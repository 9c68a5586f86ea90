package org.mentorflow.notification;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.NoSuchMessageException;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.stereotype.Component;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * Turns a stored notice into a mail (subject, plain text, HTML) in the recipient's language, from the Thymeleaf templates
 * and texts under {@code src/main/resources/mail/}. The template is chosen by the notice's reason: TASK_* reasons use
 * {@code task}, DIGEST uses {@code digest}, anything else {@code generic}. A value the template needs and the notice lacks
 * is refused with a {@link UndeliverableNotice} that names it, so the mail fails visibly instead of going out half empty.
 */
@Component
class MailTemplates {

    static final List<String> LANGUAGES = List.of("zh", "en");
    static final String DEFAULT_LANGUAGE = "zh";

    /** The model keys each reason needs; everything else is optional. */
    static final Map<String, List<String>> REQUIRED = Map.of(
            "TASK_CREATED", List.of("taskId", "taskName"),
            "TASK_REMINDER", List.of("taskId", "taskName", "due"),
            "TASK_OVERDUE", List.of("taskId", "taskName", "due"),
            "TASK_ESCALATED", List.of("taskId", "taskName", "due"),
            "DIGEST", List.of("items"),
            "GENERIC", List.of("subject"));

    private final SpringTemplateEngine engine = new SpringTemplateEngine();
    private final ResourceBundleMessageSource texts = new ResourceBundleMessageSource();
    private final String baseUrl;
    private final ZoneId zone;

    MailTemplates(@Value("${mentorflow.base-url}") String baseUrl,
                  @Value("${mentorflow.mail.time-zone:}") String zone, java.time.Clock clock) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.zone = zone.isBlank() ? clock.getZone() : ZoneId.of(zone);
        texts.setBasename("mail/messages");
        texts.setDefaultEncoding("UTF-8");
        texts.setFallbackToSystemLocale(false);
        engine.addTemplateResolver(resolver("*.html", TemplateMode.HTML, 1));
        engine.addTemplateResolver(resolver("*.txt", TemplateMode.TEXT, 2));
        engine.setTemplateEngineMessageSource(texts);
        // the expressions are evaluated twice per mail, hundreds of times a second: compiled where SpEL can
        engine.setEnableSpringELCompiler(true);
    }

    private static ClassLoaderTemplateResolver resolver(String pattern, TemplateMode mode, int order) {
        ClassLoaderTemplateResolver r = new ClassLoaderTemplateResolver();
        r.setPrefix("mail/");
        r.setResolvablePatterns(Set.of(pattern));
        r.setTemplateMode(mode);
        r.setCharacterEncoding("UTF-8");
        r.setOrder(order);
        r.setCheckExistence(true);
        r.setCacheable(true);
        return r;
    }

    record Recipient(String userId, String name, String email, String language, String studentNumber) {
    }

    record Mail(String subject, String text, String html) {
    }

    /**
     * Public, as {@link TaskView}: the templates read their accessors through SpEL, and for a method of a type that is not
     * public Spring looks for a public declaration of it on every mail (a {@code NoSuchMethodException} thrown and caught
     * per property read, not remembered when there is none: a tenth of the mail senders' processor time).
     */
    public record Action(String label, String url) {
    }

    /** One task as a mail shows it. */
    public record TaskView(String title, String url, String due, String student, String assignee, List<Action> actions) {
    }

    static String templateOf(String reason) {
        if (reason != null && reason.startsWith("TASK_") && REQUIRED.containsKey(reason)) {
            return "task";
        }
        return "DIGEST".equals(reason) ? "digest" : "generic";
    }

    Mail render(String reason, Map<String, Object> model, Recipient to) {
        String kind = REQUIRED.containsKey(reason) ? reason : "GENERIC";
        requireAll(kind, model, "");
        Locale locale = locale(to.language());
        Context ctx = new Context(locale);
        ctx.setVariable("name", to.name());
        ctx.setVariable("lang", "en".equals(to.language()) ? "en" : "zh-CN");
        ctx.setVariable("reason", reason);
        ctx.setVariable("tasklistUrl", baseUrl + "/app");
        ctx.setVariable("settingsUrl", settingsUrl(to.language()));
        String subject;
        switch (templateOf(reason)) {
            case "task" -> {
                TaskView task = task(model, to, locale, "");
                ctx.setVariable("task", task);
                boolean escalatedWithAssignee = "TASK_ESCALATED".equals(reason) && task.assignee() != null;
                // a task handed back for revision (a returned weekly report) says so, and why
                String returnReason = "TASK_CREATED".equals(reason) && model.get("returnReason") instanceof String r
                        && !r.isBlank() ? r : null;
                String textKey = returnReason != null ? "TASK_RETURNED" : reason;
                ctx.setVariable("returnReason", returnReason);
                ctx.setVariable("introKey", "intro." + textKey + ("TASK_ESCALATED".equals(reason) && !escalatedWithAssignee ? ".noassignee" : ""));
                subject = text(task.due() == null ? "subject." + textKey + ".nodue" : "subject." + textKey, locale,
                        task.due(), task.title());
            }
            case "digest" -> {
                if (!(model.get("items") instanceof List<?> raw) || raw.isEmpty()) {
                    throw new UndeliverableNotice("The digest has no tasks in 'items'.");
                }
                List<Map.Entry<Instant, TaskView>> dated = new ArrayList<>();
                for (int i = 0; i < raw.size(); i++) {
                    if (!(raw.get(i) instanceof Map<?, ?> item)) {
                        throw new UndeliverableNotice("Digest item %d is not a task.".formatted(i + 1));
                    }
                    @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) item;
                    String where = "digest item " + (i + 1) + " ";
                    requireAll("TASK_CREATED", m, where);
                    Instant due = instant(m.get("due"), where);
                    dated.add(new java.util.AbstractMap.SimpleEntry<>(due == null ? Instant.MAX : due, task(m, to, locale, where)));
                }
                // the most urgent first; tasks without a due date last
                dated.sort(Map.Entry.comparingByKey());
                List<TaskView> items = dated.stream().map(Map.Entry::getValue).toList();
                String firstDue = items.get(0).due();
                ctx.setVariable("items", items);
                ctx.setVariable("count", items.size());
                subject = text(firstDue == null ? "subject.DIGEST.nodue" : "subject.DIGEST", locale, items.size(), firstDue);
            }
            default -> {
                subject = String.valueOf(model.get("subject"));
                ctx.setVariable("subject", subject);
                ctx.setVariable("text", model.get("text") == null ? null : String.valueOf(model.get("text")));
                ctx.setVariable("url", model.get("taskId") == null ? null : taskUrl(model.get("taskId")));
                ctx.setVariable("actions", actions(model.get("actions"), to.language(), ""));
            }
        }
        ctx.setVariable("subject", subject);
        String template = templateOf(reason);
        return new Mail(subject, engine.process(template + ".txt", ctx).strip() + "\n", engine.process(template + ".html", ctx));
    }

    private TaskView task(Map<String, Object> m, Recipient to, Locale locale, String where) {
        String student = null;
        Object studentName = m.get("studentName");
        Object studentNumber = m.get("studentNumber");
        if (studentName != null) {
            student = studentName + (studentNumber == null ? "" : " (" + studentNumber + ")");
        }
        boolean ownTask = studentNumber != null && studentNumber.toString().equals(to.studentNumber());
        String title = title(m, locale, ownTask ? null : student);
        Instant due = instant(m.get("due"), where);
        boolean titleNamesStudent = studentNumber != null && title.contains("(" + studentNumber + ")");
        return new TaskView(title, taskUrl(m.get("taskId")), due == null ? null : formatDue(due, locale),
                ownTask || titleNamesStudent ? null : student, m.get("assigneeName") == null ? null : String.valueOf(m.get("assigneeName")),
                actions(m.get("actions"), to.language(), where));
    }

    /**
     * The task's name in the recipient's language: a task the texts know by its key ({@code taskKey}) is translated,
     * with the week or attendance period and the student it is about; otherwise the name the caller gave.
     */
    private String title(Map<String, Object> m, Locale locale, String student) {
        String name = String.valueOf(m.get("taskName"));
        Object key = m.get("taskKey");
        if (key == null || "en".equals(locale.getLanguage())) {
            return name;
        }
        try {
            String title = texts.getMessage("task." + key, null, locale);
            if (m.get("week") instanceof Number week) {
                title += " · " + texts.getMessage("task.week", new Object[]{week.intValue()}, locale);
            }
            if (m.get("period") instanceof Number period) {
                title += " · " + texts.getMessage("task.period", new Object[]{period.intValue()}, locale);
            }
            return student == null ? title : title + " · " + student;
        } catch (NoSuchMessageException e) {
            return name;
        }
    }

    private List<Action> actions(Object raw, String language, String where) {
        if (raw == null) {
            return List.of();
        }
        if (!(raw instanceof List<?> list)) {
            throw new UndeliverableNotice("'%sactions' must be a list of {label, url}.".formatted(where));
        }
        List<Action> actions = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> a) || a.get("url") == null || a.get("label") == null) {
                throw new UndeliverableNotice("Every entry of '%sactions' needs a label and a url.".formatted(where));
            }
            String url = a.get("url").toString();
            if (!url.startsWith("https://") && !url.startsWith("http://")) {
                throw new UndeliverableNotice("The action link '%s' is not an http(s) address.".formatted(url));
            }
            Object label = a.get("label");
            if (label instanceof Map<?, ?> byLanguage) {
                Object l = byLanguage.get(language);
                label = l != null ? l : byLanguage.values().iterator().next();
            }
            actions.add(new Action(String.valueOf(label), url));
        }
        return actions;
    }

    private void requireAll(String kind, Map<String, Object> model, String where) {
        List<String> missing = REQUIRED.get(kind).stream()
                .filter(k -> model.get(k) == null || model.get(k).toString().isBlank()).toList();
        if (!missing.isEmpty()) {
            throw new UndeliverableNotice("The %s mail template needs %s, which the notice does not have%s.".formatted(
                    kind, String.join(", ", missing.stream().map(k -> "'" + k + "'").toList()),
                    where.isEmpty() ? "" : " (" + where.strip() + ")"));
        }
    }

    /** The page where the reader changes their mail settings, in the language of the mail they read. */
    String settingsUrl(String language) {
        return baseUrl + "/settings/mail?lang=" + ("en".equals(language) ? "en" : "zh");
    }

    String taskUrl(Object taskId) {
        return baseUrl + "/app/tasks/" + taskId;
    }

    private Instant instant(Object due, String where) {
        if (due == null) {
            return null;
        }
        if (due instanceof Number n) {
            return Instant.ofEpochMilli(n.longValue());
        }
        String s = due.toString();
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s).atTime(23, 59).atZone(zone).toInstant();
            }
            if (s.endsWith("Z") || s.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return OffsetDateTime.parse(s).toInstant();
            }
            return LocalDateTime.parse(s).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new UndeliverableNotice("'%sdue' is not a date and time: %s".formatted(where, s));
        }
    }

    private String formatDue(Instant due, Locale locale) {
        String pattern = "en".equals(locale.getLanguage()) ? "EEE d MMM yyyy, HH:mm" : "yyyy年M月d日（EEE）HH:mm";
        return DateTimeFormatter.ofPattern(pattern, locale).format(due.atZone(zone));
    }

    private String text(String code, Locale locale, Object... args) {
        return texts.getMessage(code, args, locale);
    }

    static Locale locale(String language) {
        return "en".equals(language) ? Locale.ENGLISH : Locale.SIMPLIFIED_CHINESE;
    }
}
