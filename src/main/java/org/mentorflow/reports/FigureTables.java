package org.mentorflow.reports;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/** A cohort's figures as the tables the workspace shows and exports, in the reader's language. */
@Component
public class FigureTables {

    /** The tables there are, in the order the page shows them. */
    public static final List<String> KEYS = List.of("summary", "majors", "enterprises", "mentors", "hours", "weeks", "grades",
            "tasks", "slowMentors", "slowEnterprises", "slowest", "employmentMajors", "employmentEnterprises");

    private final MessageSource messages;

    FigureTables(MessageSource messages) {
        this.messages = messages;
    }

    public List<Table> all(CohortFigures.Figures f, Locale locale) {
        return KEYS.stream().map(k -> of(k, f, locale)).toList();
    }

    /** One table by its key; an unknown key is null. */
    public Table of(String key, CohortFigures.Figures f, Locale locale) {
        return switch (key) {
            case "summary" -> summary(f, locale);
            case "majors" -> groups("majors", "report.col.major", f.byMajor(), f, locale);
            case "enterprises" -> groups("enterprises", "report.col.enterprise", f.byEnterprise(), f, locale);
            case "mentors" -> mentors(f, locale);
            case "hours" -> hours(f, locale);
            case "weeks" -> weeks(f, locale);
            case "grades" -> grades(f, locale);
            case "tasks" -> stats("tasks", "report.col.task", f.times().perTask(), locale);
            case "slowMentors" -> stats("slowMentors", "report.col.mentor", f.times().perMentor(), locale);
            case "slowEnterprises" -> stats("slowEnterprises", "report.col.enterprise", f.times().perEnterprise(), locale);
            case "slowest" -> slowest(f, locale);
            case "employmentMajors" -> employment("employmentMajors", "report.col.major", f.outcomes().byMajor(), locale);
            case "employmentEnterprises" -> employment("employmentEnterprises", "report.col.enterprise",
                    f.outcomes().byEnterprise(), locale);
            default -> null;
        };
    }

    private Table summary(CohortFigures.Figures f, Locale l) {
        var c = f.cohort();
        List<List<Object>> rows = new ArrayList<>();
        rows.add(share("placed", c.placed(), l));
        rows.add(share("matching", c.matching(), l));
        rows.add(share("onTime", c.onTime(), l));
        rows.add(share("attendance", c.attendance(), l));
        rows.add(share("overLimit", c.overLimit(), l));
        rows.add(row(t("report.fig.minorsOverLimit", l), c.minorsOverLimit(), null, t("report.def.minorsOverLimit", l)));
        var all = f.allReviews();
        rows.add(row(t("report.fig.turnaround", l), all.medianHours() == null ? "—" : hours(all.medianHours(), l),
                all.reviews() == 0 ? "—" : t("report.fig.reviews", l, all.reviews()), t("report.def.turnaround", l)));
        rows.addAll(employmentSummary(f.outcomes().cohort(), l));
        return table("summary", l, cols(l, "report.col.figure", "report.col.value", "report.col.count", "report.col.definition"),
                defs(null, null, null, null), rows);
    }

    private List<Object> share(String key, CohortFigures.Share s, Locale l) {
        return row(t("report.fig." + key, l), s.percent(), s.whole() == 0 ? "—" : s.part() + " / " + s.whole(),
                t("report.def." + key, l));
    }

    private Table groups(String key, String first, List<CohortFigures.Group> groups, CohortFigures.Figures f, Locale l) {
        List<String> headers = new ArrayList<>(cols(l, first, "report.col.students", "report.fig.placed", "report.fig.matching",
                "report.fig.onTime", "report.fig.attendance", "report.fig.overLimit", "report.fig.minorsOverLimit"));
        List<String> definitions = new ArrayList<>(defs(null, null, t("report.def.placed", l), t("report.def.matching", l),
                t("report.def.onTime", l), t("report.def.attendance", l), t("report.def.overLimit", l),
                t("report.def.minorsOverLimit", l)));
        for (String band : f.bands()) {
            headers.add(band(band, l));
            definitions.add(t("report.def.grades", l));
        }
        List<List<Object>> rows = new ArrayList<>();
        for (var g : groups) {
            List<Object> r = new ArrayList<>(List.of(g.name() == null ? g.key() : g.name(), g.students(), g.placed().percent(),
                    g.matching().percent(), g.onTime().percent(), g.attendance().percent(), g.overLimit().percent(),
                    g.minorsOverLimit()));
            f.bands().forEach(b -> r.add(g.grades().getOrDefault(b, 0)));
            rows.add(r);
        }
        return new Table(key, t("report.table." + key, l), headers, definitions, rows);
    }

    /** 就业率 and 稳岗率 of the cohort, as rows of the summary. */
    private List<List<Object>> employmentSummary(OutcomeFigures.Group g, Locale l) {
        return List.of(share("employment", g.employment(), l), share("retention3", g.retention3(), l),
                share("retention6", g.retention6(), l));
    }

    /** The outcome figures per major or per enterprise. */
    private Table employment(String key, String first, List<OutcomeFigures.Group> groups, Locale l) {
        List<String> headers = new ArrayList<>(cols(l, first, "report.col.ended", "report.col.outcomeRecorded"));
        List<String> definitions = new ArrayList<>(defs(null, t("report.def.ended", l), null));
        OutcomeFigures.OUTCOMES.forEach(o -> {
            headers.add(t("outcome.kind." + o, l));
            definitions.add(null);
        });
        headers.addAll(cols(l, "report.fig.employment", "report.fig.retention3", "report.fig.retention6"));
        definitions.addAll(defs(t("report.def.employment", l), t("report.def.retention3", l), t("report.def.retention6", l)));
        List<List<Object>> rows = new ArrayList<>();
        for (var g : groups) {
            List<Object> r = new ArrayList<>(List.of(g.name() == null ? g.key() : g.name(), g.ended(), g.recorded()));
            OutcomeFigures.OUTCOMES.forEach(o -> r.add(g.perOutcome().get(o)));
            r.addAll(List.of(g.employment().percent(), g.retention3().percent(), g.retention6().percent()));
            rows.add(r);
        }
        return new Table(key, t("report.table." + key, l), headers, definitions, rows);
    }

    private Table mentors(CohortFigures.Figures f, Locale l) {
        List<List<Object>> rows = new ArrayList<>();
        for (var m : f.turnaround()) {
            rows.add(row(m.name(), t("report.role." + m.role(), l), m.reviews(),
                    m.medianHours() == null ? "—" : m.medianHours(), m.p90Hours() == null ? "—" : m.p90Hours()));
        }
        String def = t("report.def.turnaround", l);
        return table("mentors", l, cols(l, "report.col.mentor", "report.col.role", "report.col.reviews", "report.col.median",
                "report.col.p90"), defs(null, null, null, def, def), rows);
    }

    private Table hours(CohortFigures.Figures f, Locale l) {
        List<List<Object>> rows = new ArrayList<>();
        for (var o : f.overLimit()) {
            rows.add(row(o.studentName(), o.studentNumber(), o.minor() ? t("report.yes", l) : "", o.weeks(),
                    o.mostHours()));
        }
        return table("hours", l, cols(l, "report.col.student", "report.col.number", "report.col.minor", "report.col.weeksOver",
                "report.col.mostHours"), defs(null, null, t("report.def.minor", l), t("report.def.overLimit", l), null), rows);
    }

    private Table weeks(CohortFigures.Figures f, Locale l) {
        List<List<Object>> rows = new ArrayList<>();
        for (var w : f.onTimeByWeek()) {
            rows.add(row(w.week(), w.onTime().whole(), w.onTime().part(), w.onTime().percent()));
        }
        return table("weeks", l, cols(l, "report.col.week", "report.col.due", "report.col.onTime", "report.fig.onTime"),
                defs(null, null, null, t("report.def.onTime", l)), rows);
    }

    private Table grades(CohortFigures.Figures f, Locale l) {
        int total = f.cohort().grades().values().stream().mapToInt(Integer::intValue).sum();
        List<List<Object>> rows = new ArrayList<>();
        f.cohort().grades().forEach((band, n) -> rows.add(row(band(band, l), n, new CohortFigures.Share(n, total).percent())));
        return table("grades", l, cols(l, "report.col.band", "report.col.students", "report.col.share"),
                defs(null, t("report.def.grades", l), t("report.def.grades", l)), rows);
    }

    private Table stats(String key, String who, List<Bottlenecks.Stat> stats, Locale l) {
        boolean perTask = "tasks".equals(key);
        List<List<Object>> rows = new ArrayList<>();
        for (var s : stats) {
            List<Object> r = new ArrayList<>();
            r.add(task(s.task(), l));
            if (!perTask) {
                r.add(s.who());
            }
            r.addAll(List.of(s.count(), s.medianHours(), s.p90Hours()));
            rows.add(r);
        }
        String def = t("report.def.taskTime", l);
        List<String> headers = new ArrayList<>(cols(l, "report.col.task"));
        List<String> definitions = new ArrayList<>(defs((String) null));
        if (!perTask) {
            headers.add(t(who, l));
            definitions.add(null);
        }
        headers.addAll(cols(l, "report.col.tasksDone", "report.col.median", "report.col.p90"));
        definitions.addAll(defs(null, def, def));
        return table(key, l, headers, definitions, rows);
    }

    private Table slowest(CohortFigures.Figures f, Locale l) {
        List<List<Object>> rows = new ArrayList<>();
        for (var s : f.times().slowest()) {
            rows.add(row(task(s.task(), l), s.studentName(), s.studentNumber(), s.assignee(), s.hours()));
        }
        return table("slowest", l, cols(l, "report.col.task", "report.col.student", "report.col.number", "report.col.doneBy",
                "report.col.hours"), defs(null, null, null, null, t("report.def.taskTime", l)), rows);
    }

    private String task(String key, Locale l) {
        return messages.getMessage("task." + key, null, key, l);
    }

    public String band(String band, Locale l) {
        return messages.getMessage("app.grade.band." + band, null, band, l);
    }

    private String hours(double h, Locale l) {
        return t("report.hours", l, h);
    }

    private Table table(String key, Locale l, List<String> headers, List<String> definitions, List<List<Object>> rows) {
        return new Table(key, t("report.table." + key, l), headers, definitions, rows);
    }

    private List<String> cols(Locale l, String... keys) {
        return Arrays.stream(keys).map(k -> t(k, l)).toList();
    }

    private static List<String> defs(String... definitions) {
        return Arrays.asList(definitions);
    }

    private static List<Object> row(Object... cells) {
        return Arrays.asList(cells);
    }

    private String t(String key, Locale l, Object... args) {
        return messages.getMessage(key, args, l);
    }
}
