package org.mentorflow.imports;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.mentorflow.common.CurrentUser;
import org.mentorflow.common.RefusedException;
import org.mentorflow.common.RuleRefusal;
import org.mentorflow.regulation.Gates;
import org.mentorflow.school.EnterpriseVetting;
import org.mentorflow.school.People;
import org.mentorflow.school.Positions;
import org.mentorflow.school.SchoolRecords;
import org.mentorflow.school.SchoolSetup;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Imports a school's enterprises, their site visits, positions, mentors and students from a filled template, all or
 * nothing. The whole file is read and every row checked first, in one transaction, through the same services the API
 * uses ({@link SchoolSetup}, {@link EnterpriseVetting}, {@link Positions} with the regulation's {@code position-gates}):
 * a row may name an enterprise created a few rows above, and a position is published only for an enterprise whose
 * passed site visit is on record (in the database or in the file's visits sheet). Only when no row has a mistake is the
 * transaction committed; otherwise, or when only a check was asked for, it is rolled back and every mistake is named
 * with its sheet, row, column and reason in the reader's language.
 */
@Service
public class SchoolImport {

    /** The most data rows one file may hold, all sheets together. */
    public static final int MAX_ROWS = ImportFile.MAX_ROWS;

    private static final Pattern ID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._-]{0,31}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final List<DateTimeFormatter> DATES = List.of(DateTimeFormatter.ISO_LOCAL_DATE,
            DateTimeFormatter.ofPattern("y/M/d"), DateTimeFormatter.ofPattern("y-M-d"), DateTimeFormatter.ofPattern("y.M.d"),
            DateTimeFormatter.ofPattern("y年M月d日"));

    /** How many rows of each sheet were imported (or would be, after a check). */
    public record Count(String kind, String sheet, int rows) {
    }

    /**
     * The outcome: {@code imported} when the records were written; {@code counts} per sheet (also after a check without
     * mistakes); {@code mistakes} when nothing was written because of them.
     */
    public record Result(boolean imported, List<Count> counts, List<Mistake> mistakes) {
        public boolean ok() {
            return mistakes.isEmpty();
        }

        public int rows() {
            return counts.stream().mapToInt(Count::rows).sum();
        }
    }

    private final SchoolSetup setup;
    private final EnterpriseVetting vetting;
    private final Positions positions;
    private final SchoolRecords school;
    private final People people;
    private final CurrentUser currentUser;
    private final MessageSource messages;
    private final TransactionTemplate transactions;
    private final Clock clock;

    SchoolImport(SchoolSetup setup, EnterpriseVetting vetting, Positions positions, SchoolRecords school, People people,
                 CurrentUser currentUser, MessageSource messages, PlatformTransactionManager transactionManager, Clock clock) {
        this.setup = setup;
        this.vetting = vetting;
        this.positions = positions;
        this.school = school;
        this.people = people;
        this.currentUser = currentUser;
        this.messages = messages;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /**
     * Checks the file and, when {@code write} and nothing is wrong, imports it. The caller is a coordinator (checked by
     * the page and the API); people, groups and memberships are created for the school as the API does.
     */
    public Result run(byte[] file, boolean write, Locale locale) {
        String coordinator = currentUser.requireCoordinator("refused.imports.coordinatorsOnly");
        Map<Layout, ImportFile.Sheet> sheets;
        try {
            sheets = ImportFile.read(file);
        } catch (ImportFile.Unreadable e) {
            return refused(List.of(new Mistake(null, null, null, t(locale, e.key, e.args))));
        }
        List<Mistake> mistakes = new ArrayList<>();
        if (sheets.isEmpty()) {
            mistakes.add(new Mistake(null, null, null, t(locale, "import.file.noSheet")));
        }
        for (ImportFile.Sheet s : sheets.values()) {
            for (Layout.Column c : s.missing()) {
                mistakes.add(new Mistake(s.layout().name(locale), 1, c.name(locale), t(locale, "import.column.missing", c.header())));
            }
        }
        if (!mistakes.isEmpty()) {
            return refused(mistakes);
        }
        if (sheets.values().stream().allMatch(s -> s.rows().isEmpty())) {
            return refused(List.of(new Mistake(null, null, null, t(locale, "import.file.noRows"))));
        }
        Map<Layout, Integer> done = new LinkedHashMap<>();
        boolean imported = currentUser.asSystem(() -> transactions.execute(status -> {
            Run run = new Run(locale, coordinator, mistakes);
            for (Layout layout : Layout.values()) {
                ImportFile.Sheet sheet = sheets.get(layout);
                if (sheet == null) {
                    continue;
                }
                int count = 0;
                for (ImportFile.Row row : sheet.rows()) {
                    if (run.row(layout, row)) {
                        count++;
                    }
                }
                done.put(layout, count);
            }
            if (!mistakes.isEmpty() || !write) {
                status.setRollbackOnly();
                return false;
            }
            return true;
        }));
        if (!mistakes.isEmpty()) {
            return refused(mistakes);
        }
        List<Count> counts = done.entrySet().stream()
                .map(e -> new Count(e.getKey().name().toLowerCase(Locale.ROOT), e.getKey().name(locale), e.getValue())).toList();
        return new Result(imported, counts, List.of());
    }

    private static Result refused(List<Mistake> mistakes) {
        return new Result(false, List.of(), List.copyOf(mistakes));
    }

    private String t(Locale locale, String key, Object... args) {
        return messages.getMessage(key, args, key, locale);
    }

    /** One pass over the file's rows inside the transaction, remembering what the file itself already named. */
    private final class Run {

        private final Locale locale;
        private final String coordinator;
        private final List<Mistake> mistakes;
        private final Set<String> enterprises = new HashSet<>();
        private final Set<String> mentors = new HashSet<>();
        private final Set<String> numbers = new HashSet<>();
        private final Set<String> logins = new HashSet<>();
        private Layout layout;
        private ImportFile.Row row;
        private boolean wrong;

        Run(Locale locale, String coordinator, List<Mistake> mistakes) {
            this.locale = locale;
            this.coordinator = coordinator;
            this.mistakes = mistakes;
        }

        /** Checks one row and, when it is right, hands it to the service; true when the service took it. */
        boolean row(Layout layout, ImportFile.Row row) {
            this.layout = layout;
            this.row = row;
            this.wrong = false;
            switch (layout) {
                case ENTERPRISES -> enterprise();
                case VISITS -> visit();
                case POSITIONS -> position();
                case MENTORS -> mentor();
                case STUDENTS -> student();
                default -> throw new IllegalStateException(layout.name());
            }
            return !wrong;
        }

        private void enterprise() {
            String id = id("id");
            if (id != null && !enterprises.add(id)) {
                mistake("id", "import.duplicate.file", id);
            } else if (id != null && school.findEnterprise(id).isPresent()) {
                mistake("id", "import.duplicate.database", id);
            }
            String name = text("name", 200);
            text("industry", 200);
            String email = email("contactEmail");
            Integer staff = integer("staffCount", 1, 10_000_000);
            if (!wrong) {
                service(() -> setup.addEnterprise(new SchoolSetup.NewEnterprise(id, name, value("industry"), email, staff)));
            }
        }

        private void visit() {
            String enterprise = enterprise("enterpriseId");
            LocalDate date = date("visitDate");
            LocalDate today = LocalDate.now(clock);
            if (date != null && date.isAfter(today)) {
                mistake("visitDate", "import.visit.future", date);
            } else if (date != null && date.isBefore(today.minusYears(5))) {
                mistake("visitDate", "import.visit.old", date);
            }
            String by = text("visitedBy", 500);
            String findings = text("findings", 4000);
            Boolean passed = yesNo("passed");
            Integer staff = integer("staffCount", 1, 10_000_000);
            if (!wrong) {
                service(() -> vetting.record(enterprise, new EnterpriseVetting.NewVisit(date, by, findings, passed, staff), coordinator));
            }
        }

        private void position() {
            String enterprise = enterprise("enterpriseId");
            String cohort = cohort("cohortId");
            String major = major("majorCode");
            String title = text("title", 200);
            String description = text("description", 4000);
            Integer capacity = integer("capacity", 1, 200);
            LocalDate start = date("startDate");
            LocalDate end = date("endDate");
            if (start != null && end != null && !end.isAfter(start)) {
                mistake("endDate", "import.dates.order", start, end);
            }
            String workKind = choice("workKind", Gates.WORK_KINDS);
            String venue = choice("venueType", Gates.VENUE_TYPES);
            BigDecimal pay = money("monthlyPay");
            BigDecimal wage = money("postWage");
            if (wage != null && wage.signum() == 0) {
                mistake("postWage", "import.value.positive");
            }
            Integer postStaff = integer("postStaff", 1, 1_000_000);
            BigDecimal fee = money("studentFee");
            String reason = text("durationReason", 2000);
            if (!wrong) {
                service(() -> positions.publish(new Positions.NewPosition(enterprise, cohort, major, title, description, capacity,
                        start, end, workKind, venue, pay, wage, postStaff, fee, reason), coordinator));
            }
        }

        private void mentor() {
            String username = id("username");
            if (username != null && !mentors.add(username)) {
                mistake("username", "import.duplicate.file", username);
            } else if (username != null && school.findMentor(username).isPresent()) {
                mistake("username", "import.duplicate.database", username);
            }
            String name = text("name", 200);
            String kind = mentorKind();
            String enterprise = null;
            String major = null;
            if ("ENTERPRISE".equals(kind)) {
                enterprise = value("enterpriseId") == null ? missing("enterpriseId") : enterprise("enterpriseId");
            } else if ("SCHOOL".equals(kind)) {
                major = value("majorCode") == null ? missing("majorCode") : major("majorCode");
            }
            String email = email("email");
            Integer max = integer("maxStudents", 1, 50);
            String password = password(username);
            if (!wrong) {
                var m = new SchoolSetup.NewMentor(username, name, kind, enterprise, major, email, max, password);
                service(() -> setup.addMentor(m));
            }
        }

        private void student() {
            String number = id("number");
            boolean numberWrong = number == null;
            if (number != null && !numbers.add(number)) {
                mistake("number", "import.duplicate.file", number);
                numberWrong = true;
            } else if (number != null && school.findStudent(number).isPresent()) {
                mistake("number", "import.duplicate.database", number);
                numberWrong = true;
            }
            String username = value("username") != null ? id("username") : number == null ? null : "s" + number;
            if (numberWrong && value("username") == null) {
                // the login follows the number: said once, at the number
                logins.add(String.valueOf(username));
            } else if (username != null && !logins.add(username)) {
                mistake("username", "import.duplicate.file", username);
            } else if (username != null && school.findStudentByUsername(username).isPresent()) {
                mistake("username", "import.duplicate.database", username);
            }
            String name = text("name", 200);
            String major = major("majorCode");
            String cohort = cohort("cohortId");
            LocalDate birth = date("birthDate");
            LocalDate today = LocalDate.now(clock);
            if (birth != null && !(birth.isBefore(today.minusYears(12)) && birth.isAfter(today.minusYears(80)))) {
                mistake("birthDate", "import.student.birth", birth);
            }
            Integer entryYear = integer("entryYear", today.getYear() - 10, today.getYear() + 1);
            String email = email("email");
            String language = choice("language", List.of("zh", "en"));
            String guardian = text("guardianName", 200);
            String phone = text("guardianPhone", 50);
            String password = password(username);
            if (!wrong) {
                var s = new SchoolSetup.NewStudent(number, username, name, major, cohort, birth, email, language, guardian,
                        phone, password, entryYear);
                service(() -> setup.addStudents(List.of(s)));
            }
        }

        // --- cells, each checked with a mistake in the reader's language ---

        private String value(String key) {
            String v = row.get(key);
            return v == null || v.isEmpty() ? null : v;
        }

        private Layout.Column column(String key) {
            return layout.columns.stream().filter(c -> c.key().equals(key)).findFirst().orElseThrow();
        }

        private String required(String key) {
            String v = value(key);
            if (v == null && column(key).required()) {
                missing(key);
            }
            return v;
        }

        private String missing(String key) {
            mistake(key, "import.value.required");
            return null;
        }

        private String id(String key) {
            String v = required(key);
            if (v != null && !ID.matcher(v).matches()) {
                mistake(key, "import.value.id", v);
                return null;
            }
            return v;
        }

        private String text(String key, int max) {
            String v = required(key);
            if (v != null && v.length() > max) {
                mistake(key, "import.value.long", max);
                return null;
            }
            return v;
        }

        private String email(String key) {
            String v = required(key);
            if (v != null && (v.length() > 320 || !EMAIL.matcher(v).matches())) {
                mistake(key, "import.value.email", v);
                return null;
            }
            return v;
        }

        private Integer integer(String key, int min, int max) {
            String v = required(key);
            if (v == null) {
                return null;
            }
            try {
                int n = Integer.parseInt(v);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // said below
            }
            mistake(key, "import.value.integer", v, min, max);
            return null;
        }

        private BigDecimal money(String key) {
            String v = required(key);
            if (v == null) {
                return null;
            }
            try {
                BigDecimal n = new BigDecimal(v.replace(",", "").replace("，", ""));
                if (n.signum() >= 0 && n.scale() <= 2 && n.compareTo(BigDecimal.valueOf(1_000_000)) < 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // said below
            }
            mistake(key, "import.value.money", v);
            return null;
        }

        private LocalDate date(String key) {
            String v = required(key);
            if (v == null) {
                return null;
            }
            for (DateTimeFormatter f : DATES) {
                try {
                    return LocalDate.parse(v, f);
                } catch (DateTimeParseException e) {
                    // the next way of writing a date
                }
            }
            mistake(key, "import.value.date", v);
            return null;
        }

        private Boolean yesNo(String key) {
            String v = required(key);
            if (v == null) {
                return null;
            }
            String n = v.toLowerCase(Locale.ROOT).replaceAll("\\s+", "");
            if (Set.of("是", "yes", "y", "true", "通过", "是yes", "1").contains(n)) {
                return true;
            }
            if (Set.of("否", "no", "n", "false", "不通过", "否no", "0").contains(n)) {
                return false;
            }
            mistake(key, "import.value.yesNo", v);
            return null;
        }

        private String choice(String key, List<String> allowed) {
            String v = required(key);
            if (v == null) {
                return null;
            }
            String n = key.equals("language") ? v.toLowerCase(Locale.ROOT) : v.toUpperCase(Locale.ROOT);
            if (!allowed.contains(n)) {
                mistake(key, "import.value.choice", v, String.join(", ", allowed));
                return null;
            }
            return n;
        }

        private String mentorKind() {
            String v = required("kind");
            if (v == null) {
                return null;
            }
            String n = v.toUpperCase(Locale.ROOT).replaceAll("\\s+", "");
            if (Set.of("SCHOOL", "校内", "校内导师", "学校").contains(n)) {
                return "SCHOOL";
            }
            if (Set.of("ENTERPRISE", "企业", "企业导师").contains(n)) {
                return "ENTERPRISE";
            }
            mistake("kind", "import.value.choice", v, "SCHOOL, ENTERPRISE");
            return null;
        }

        private String enterprise(String key) {
            String v = id(key);
            if (v != null && school.findEnterprise(v).isEmpty()) {
                mistake(key, "import.unknown.enterprise", v);
                return null;
            }
            return v;
        }

        private String cohort(String key) {
            String v = id(key);
            if (v != null && school.findCohort(v).isEmpty()) {
                mistake(key, "import.unknown.cohort", v);
                return null;
            }
            return v;
        }

        private String major(String key) {
            String v = id(key);
            if (v != null && !school.majorExists(v)) {
                mistake(key, "import.unknown.major", v);
                return null;
            }
            return v;
        }

        /** A new person needs an initial password of at least 8 characters; an existing one is linked as it is. */
        private String password(String username) {
            String v = value("initialPassword");
            if (username != null && !people.exists(username) && (v == null || v.length() < 8)) {
                mistake("initialPassword", "import.value.password", username);
                return null;
            }
            return v;
        }

        /** The service's own checks (and the regulation's gates) have the last word: a refusal is this row's mistake. */
        private void service(Runnable work) {
            try {
                work.run();
            } catch (RuleRefusal r) {
                add(null, r.message(messages, locale));
            } catch (RefusedException r) {
                add(null, t(locale, "import.refused", r.message(messages, locale)));
            }
        }

        private void mistake(String key, String messageKey, Object... args) {
            add(column(key).name(locale), t(locale, messageKey, args));
        }

        private void add(String column, String reason) {
            wrong = true;
            mistakes.add(new Mistake(layout.name(locale), row.number(), column, reason));
        }
    }
}
