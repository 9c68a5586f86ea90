package org.mentorflow.workspace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.FormService;
import org.mentorflow.common.CurrentUser;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * Renders a task's Camunda Form on the server, in the person's language, and reads a submitted form back into the
 * values the task takes. Labels, descriptions, options and texts come from the message bundles
 * ({@code form.<form id>.<key>}, {@code form.<form id>.<component id>}), else from the form itself. The form's own
 * validation (required, min, max, maxLength, pattern, decimal digits, the choices offered) is checked here first, so a
 * person gets their mistakes in their language, next to the field, with what they typed kept; the stage's listeners
 * check again when the task is completed.
 */
@Component
class TaskForms {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}");
    private static final Pattern ANY_PLACEHOLDER = Pattern.compile("\\{\\{(.*?)}}");
    private static final Pattern BOLD = Pattern.compile("\\*\\*(.+?)\\*\\*");

    private final FormService formService;
    private final CurrentUser currentUser;
    private final MessageSource messages;
    private final Formats formats;

    TaskForms(FormService formService, CurrentUser currentUser, MessageSource messages, Formats formats) {
        this.formService = formService;
        this.currentUser = currentUser;
        this.messages = messages;
        this.formats = formats;
    }

    /** One thing on the form page; {@code blocks} for texts, the rest for inputs. */
    record Field(String type, String id, String key, String label, String description, boolean required, String value,
                 List<Choice> choices, String min, String max, String step, Integer maxLength, String error,
                 String showKey, String showValue, List<Block> blocks) {

        public boolean isText() {
            return "text".equals(type);
        }
    }

    record Choice(String value, String label, boolean checked) {
    }

    /** A line of a text: a heading ("h") or a paragraph ("p", "li"). */
    record Block(String kind, List<Span> spans) {
    }

    record Span(String text, boolean bold) {
    }

    /** What a submitted form gave: the typed values to complete the task with, the errors by key, and the raw text typed. */
    record Submission(Map<String, Object> values, Map<String, String> errors, Map<String, String> typed) {
    }

    /** The task's deployed form, read by the engine itself (the caller was found to be the task's person). */
    FormDefinition of(String taskId) {
        return currentUser.asSystem(() -> {
            try (InputStream in = formService.getDeployedTaskForm(taskId)) {
                return FormDefinition.read(in);
            } catch (BadUserRequestException e) {
                return null;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("The form of task " + taskId + " could not be read", e);
            }
        });
    }

    List<Field> render(FormDefinition form, Map<String, Object> vars, Map<String, String> typed, Map<String, String> errors,
                       Locale locale) {
        List<Field> fields = new ArrayList<>();
        for (FormDefinition.Component c : form.components()) {
            if (!c.isInput()) {
                if ("text".equals(c.type())) {
                    text(form, c, vars, locale).ifPresent(fields::add);
                }
                continue;
            }
            String[] shown = FormDefinition.shownOnlyWhen(c.hide());
            String value = typed != null ? typed.get(c.key()) : plain(vars.get(c.key()));
            List<Choice> choices = new ArrayList<>();
            for (FormDefinition.Option o : options(c, vars)) {
                choices.add(new Choice(o.value(), say(locale, "form." + form.id() + "." + c.key() + "." + o.value(), o.label()),
                        o.value().equals(value)));
            }
            String type = switch (c.type()) {
                case "textarea", "number", "radio", "select", "checkbox" -> c.type();
                case "datetime" -> "date";
                default -> "textfield";
            };
            String step = c.decimalDigits() == null || c.decimalDigits() <= 0 ? "1"
                    : BigDecimal.ONE.movePointLeft(c.decimalDigits()).toPlainString();
            fields.add(new Field(type, c.id(), c.key(), label(form, c, locale),
                    say(locale, "form." + form.id() + "." + c.key() + ".description", c.description()),
                    c.required() && shown == null, value == null ? "" : value, choices,
                    c.min() == null ? null : formats.plain(c.min()), c.max() == null ? null : formats.plain(c.max()), step,
                    c.maxLength(), errors == null ? null : errors.get(c.key()),
                    shown == null ? null : shown[0], shown == null ? null : shown[1], List.of()));
        }
        return fields;
    }

    Submission read(FormDefinition form, Map<String, Object> vars, Map<String, String[]> params, Locale locale) {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        Map<String, String> typed = new LinkedHashMap<>();
        for (FormDefinition.Component c : form.components()) {
            if (!c.isInput()) {
                continue;
            }
            String[] given = params.get(c.key());
            String raw = given == null || given.length == 0 ? null : given[0];
            typed.put(c.key(), raw == null ? "" : raw);
            String[] shownWhen = FormDefinition.shownOnlyWhen(c.hide());
            boolean shown = shownWhen == null || shownWhen[1].equals(first(params.get(shownWhen[0])));
            String label = label(form, c, locale);
            String text = raw == null ? "" : raw.strip();
            if ("checkbox".equals(c.type())) {
                boolean checked = "true".equals(text);
                if (c.required() && !checked) {
                    errors.put(c.key(), say(locale, "app.form.choose", null, label));
                }
                values.put(c.key(), checked);
                continue;
            }
            if (text.isEmpty()) {
                if (c.required() && shown) {
                    boolean choosing = "radio".equals(c.type()) || "select".equals(c.type());
                    errors.put(c.key(), say(locale, choosing ? "app.form.choose" : "app.form.required", null, label));
                } else if (shown && ("textarea".equals(c.type()) || "textfield".equals(c.type()))) {
                    // an emptied field replaces what the task held before (a returned report's old text)
                    values.put(c.key(), "");
                }
                continue;
            }
            String error = null;
            switch (c.type()) {
                case "number" -> {
                    BigDecimal n = number(text);
                    if (n == null) {
                        error = say(locale, "app.form.number", null, label);
                    } else if ((c.min() != null && n.doubleValue() < c.min()) || (c.max() != null && n.doubleValue() > c.max())) {
                        error = say(locale, "app.form.range", null, label, formats.plain(c.min()), formats.plain(c.max()));
                    } else if (n.stripTrailingZeros().scale() > Math.max(0, c.decimalDigits() == null ? 0 : c.decimalDigits())) {
                        error = say(locale, "app.form.decimals", null, label, c.decimalDigits() == null ? 0 : c.decimalDigits());
                    } else {
                        values.put(c.key(), n.stripTrailingZeros().scale() <= 0 ? (Object) n.longValue() : (Object) n.doubleValue());
                    }
                }
                case "radio", "select" -> {
                    FormDefinition.Option chosen = options(c, vars).stream().filter(o -> o.value().equals(text)).findFirst()
                            .orElse(null);
                    if (chosen == null) {
                        error = say(locale, "app.form.invalidChoice", null, label);
                    } else {
                        values.put(c.key(), chosen.booleanValue() ? (Object) Boolean.valueOf(text) : text);
                    }
                }
                case "datetime" -> {
                    try {
                        values.put(c.key(), LocalDate.parse(text).toString());
                    } catch (DateTimeParseException e) {
                        error = say(locale, "app.form.date", null, label);
                    }
                }
                default -> {
                    if (c.maxLength() != null && text.length() > c.maxLength()) {
                        error = say(locale, "app.form.tooLong", null, label, c.maxLength(), text.length());
                    } else if (c.pattern() != null && !matches(c.pattern(), text)) {
                        error = say(locale, "app.form.pattern", null, label);
                    } else {
                        values.put(c.key(), text);
                    }
                }
            }
            if (error != null) {
                errors.put(c.key(), error);
            }
        }
        return new Submission(values, errors, typed);
    }

    /** The form's first heading, for the page title; else null. */
    String title(List<Field> fields) {
        return fields.stream().filter(Field::isText).flatMap(f -> f.blocks().stream()).filter(b -> "h".equals(b.kind()))
                .findFirst().map(b -> b.spans().stream().map(Span::text).reduce("", String::concat)).orElse(null);
    }

    private java.util.Optional<Field> text(FormDefinition form, FormDefinition.Component c, Map<String, Object> vars,
                                           Locale locale) {
        if (form.readsInput(c.hide())) {
            return java.util.Optional.empty(); // a live hint about what is being typed: the checks on submit cover it
        }
        String emptyVar = FormDefinition.hiddenWhileEmpty(c.hide());
        if (emptyVar != null && plain(vars.get(emptyVar)).isEmpty()) {
            return java.util.Optional.empty();
        }
        String template = say(locale, "form." + form.id() + "." + c.id(), c.text());
        if (template == null) {
            return java.util.Optional.empty();
        }
        Matcher any = ANY_PLACEHOLDER.matcher(template);
        while (any.find()) {
            if (!any.group(1).strip().matches("\\w+")) {
                return java.util.Optional.empty(); // an expression, not a variable: nothing we can show without FEEL
            }
        }
        List<Block> blocks = new ArrayList<>();
        for (String line : template.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.matches("\\|[-\\s|:]+\\|")) {
                continue;
            }
            String kind = "p";
            if (l.startsWith("#")) {
                kind = "h";
                l = l.replaceFirst("^#+\\s*", "");
            } else if (l.startsWith("- ") || l.startsWith("* ")) {
                kind = "li";
                l = l.substring(2);
            } else if (l.startsWith("|")) {
                l = String.join(" · ", java.util.Arrays.stream(l.substring(1, l.endsWith("|") ? l.length() - 1 : l.length())
                        .split("\\|")).map(String::strip).toList());
            }
            blocks.add(new Block(kind, spans(l, vars, locale)));
        }
        return java.util.Optional.of(new Field("text", c.id(), null, null, null, false, null, List.of(), null, null, null,
                null, null, null, null, List.copyOf(blocks)));
    }

    /** Splits a line into plain and bold parts, then fills in the variables (their values are never read as markup). */
    private List<Span> spans(String line, Map<String, Object> vars, Locale locale) {
        List<Span> spans = new ArrayList<>();
        Matcher m = BOLD.matcher(line);
        int at = 0;
        while (m.find()) {
            if (m.start() > at) {
                spans.add(new Span(fill(line.substring(at, m.start()), vars, locale), false));
            }
            spans.add(new Span(fill(m.group(1), vars, locale), true));
            at = m.end();
        }
        if (at < line.length()) {
            spans.add(new Span(fill(line.substring(at), vars, locale), false));
        }
        return spans;
    }

    private String fill(String text, Map<String, Object> vars, Locale locale) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(formats.value(vars.get(m.group(1)), locale)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private List<FormDefinition.Option> options(FormDefinition.Component c, Map<String, Object> vars) {
        if (c.valuesKey() == null) {
            return c.options();
        }
        Object raw = vars.get(c.valuesKey());
        if (raw == null) {
            return List.of();
        }
        try {
            JsonNode list = JSON.readTree(raw.toString());
            List<FormDefinition.Option> options = new ArrayList<>();
            for (JsonNode o : list) {
                options.add(new FormDefinition.Option(o.path("value").asText(), o.path("label").asText(), o.path("value").isBoolean()));
            }
            return options;
        } catch (IOException e) {
            return List.of();
        }
    }

    private String label(FormDefinition form, FormDefinition.Component c, Locale locale) {
        return say(locale, "form." + form.id() + "." + c.key(), c.label() == null ? c.key() : c.label());
    }

    private String say(Locale locale, String code, String fallback, Object... args) {
        return messages.getMessage(code, args.length == 0 ? null : args, fallback, locale);
    }

    /** A value as a form field shows it: numbers without a trailing ".0", dates as 2027-03-01. */
    private String plain(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Number n) {
            return formats.plain(n.doubleValue());
        }
        return v.toString();
    }

    /** A number as people type it on a phone: full-width digits, a comma for the decimal point, spaces. */
    static BigDecimal number(String text) {
        StringBuilder s = new StringBuilder();
        for (char ch : text.toCharArray()) {
            if (ch >= '０' && ch <= '９') {
                s.append((char) (ch - '０' + '0'));
            } else if (ch == '．' || ch == '，' || ch == ',' || ch == '。') {
                s.append('.');
            } else if (!Character.isWhitespace(ch)) {
                s.append(ch);
            }
        }
        try {
            return s.toString().matches("[+-]?\\d{1,9}(\\.\\d{1,6})?") ? new BigDecimal(s.toString()) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean matches(String pattern, String text) {
        try {
            return Pattern.compile(pattern).matcher(text).find();
        } catch (PatternSyntaxException e) {
            return true;
        }
    }

    private static String first(String[] values) {
        return values == null || values.length == 0 ? null : values[0];
    }
}
