package org.mentorflow.imports;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The template's data sheets and their columns, in the order the import takes them: enterprises, their site visits
 * (vetting), positions, mentors, students. A header reads "中文 English"; a header cell is recognised by the whole text,
 * the Chinese part or the English part. Each sheet has one example row, which is never imported.
 */
enum Layout {

    ENTERPRISES("企业", "Enterprises", List.of(
            col("id", "企业编号", "Enterprise id", true, Type.ID, "example-co"),
            col("name", "企业名称", "Name", true, Type.TEXT, "示例机械有限公司 Example Machinery Co."),
            col("industry", "行业", "Industry", false, Type.TEXT, "先进制造"),
            col("contactEmail", "联系邮箱", "Contact e-mail", false, Type.EMAIL, "hr@example-co.example"),
            col("staffCount", "员工人数", "Staff", false, Type.INT, "320"))),
    VISITS("实地考察", "Site visits", List.of(
            col("enterpriseId", "企业编号", "Enterprise id", true, Type.ID, "example-co"),
            col("visitDate", "考察日期", "Visit date", true, Type.DATE, "2026-05-20"),
            col("visitedBy", "考察人", "Visited by", true, Type.TEXT, "王老师 Wang"),
            col("findings", "考察结论", "Findings", true, Type.TEXT, "车间安全，白班 Safe workshop, day shifts"),
            col("passed", "是否通过", "Passed", true, Type.YES_NO, "是 yes"),
            col("staffCount", "员工人数", "Staff", false, Type.INT, "320"))),
    POSITIONS("岗位", "Positions", List.of(
            col("enterpriseId", "企业编号", "Enterprise id", true, Type.ID, "example-co"),
            col("cohortId", "班级编号", "Cohort id", true, Type.ID, "C2027"),
            col("majorCode", "专业代码", "Major code", true, Type.ID, "MECH"),
            col("title", "岗位名称", "Title", true, Type.TEXT, "装配技术员 Assembly technician"),
            col("description", "岗位说明", "Description", false, Type.TEXT, "白班，师傅带教 Day shift, with a master"),
            col("capacity", "名额", "Places", true, Type.INT, "4"),
            col("startDate", "开始日期", "Start date", true, Type.DATE, "2026-09-01"),
            col("endDate", "结束日期", "End date", true, Type.DATE, "2027-02-28"),
            col("workKind", "工作类型", "Kind of work", true, Type.CHOICE, "PRODUCTION"),
            col("venueType", "场所类型", "Venue", true, Type.CHOICE, "FACTORY"),
            col("monthlyPay", "实习报酬（元/月）", "Monthly pay (yuan)", true, Type.MONEY, "3000"),
            col("postWage", "同岗位工资（元/月）", "Post's wage (yuan)", true, Type.MONEY, "3500"),
            col("postStaff", "同岗位员工数", "Post's staff", true, Type.INT, "40"),
            col("studentFee", "向学生收费（元）", "Fee from the student (yuan)", false, Type.MONEY, "0"),
            col("durationReason", "时长说明", "Reason for the length", false, Type.TEXT, ""))),
    MENTORS("导师", "Mentors", List.of(
            col("username", "登录名", "Login", true, Type.ID, "wang.example"),
            col("name", "姓名", "Name", true, Type.TEXT, "王示例"),
            col("kind", "导师类型", "Kind", true, Type.CHOICE, "SCHOOL"),
            col("enterpriseId", "企业编号", "Enterprise id", false, Type.ID, ""),
            col("majorCode", "专业代码", "Major code", false, Type.ID, "MECH"),
            col("email", "邮箱", "E-mail", true, Type.EMAIL, "wang@school.example"),
            col("maxStudents", "最多指导学生数", "Most students", false, Type.INT, "8"),
            col("initialPassword", "初始密码", "Initial password", false, Type.TEXT, "change-me-2026"))),
    STUDENTS("学生", "Students", List.of(
            col("number", "学号", "Student number", true, Type.ID, "20240001"),
            col("username", "登录名", "Login", false, Type.ID, "s20240001"),
            col("name", "姓名", "Name", true, Type.TEXT, "李示例"),
            col("majorCode", "专业代码", "Major code", true, Type.ID, "MECH"),
            col("cohortId", "班级编号", "Cohort id", true, Type.ID, "C2027"),
            col("birthDate", "出生日期", "Date of birth", true, Type.DATE, "2008-03-15"),
            col("entryYear", "入学年份", "Entry year", true, Type.INT, "2024"),
            col("email", "邮箱", "E-mail", false, Type.EMAIL, "s20240001@school.example"),
            col("language", "语言", "Language", false, Type.CHOICE, "zh"),
            col("guardianName", "监护人姓名", "Guardian", false, Type.TEXT, "李家长"),
            col("guardianPhone", "监护人电话", "Guardian's phone", false, Type.TEXT, "13800000000"),
            col("initialPassword", "初始密码", "Initial password", false, Type.TEXT, "change-me-2026")));

    enum Type { ID, TEXT, EMAIL, INT, MONEY, DATE, YES_NO, CHOICE }

    record Column(String key, String zh, String en, boolean required, Type type, String example) {

        String header() {
            return zh + " " + en;
        }

        String name(Locale locale) {
            return chinese(locale) ? zh : en;
        }

        boolean matches(String header) {
            String h = normal(header);
            return h.equals(normal(header())) || h.equals(normal(zh)) || h.equals(normal(en));
        }
    }

    final String zh;
    final String en;
    final List<Column> columns;

    Layout(String zh, String en, List<Column> columns) {
        this.zh = zh;
        this.en = en;
        this.columns = columns;
    }

    String sheetName() {
        return zh + " " + en;
    }

    String name(Locale locale) {
        return chinese(locale) ? zh : en;
    }

    /** The layout a sheet of an uploaded file is, by its name (whole, Chinese or English part), if any. */
    static Optional<Layout> ofSheet(String name) {
        String n = normal(name);
        for (Layout l : values()) {
            if (n.equals(normal(l.sheetName())) || n.equals(normal(l.zh)) || n.equals(normal(l.en))) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    static boolean chinese(Locale locale) {
        return locale == null || !"en".equals(locale.getLanguage());
    }

    private static String normal(String s) {
        return s == null ? "" : s.replace('*', ' ').replace('\u3000', ' ').strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    private static Column col(String key, String zh, String en, boolean required, Type type, String example) {
        return new Column(key, zh, en, required, type, example);
    }
}
