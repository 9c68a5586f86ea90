package org.mentorflow.identity;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The request field a NullPointerException of the engine's REST layer is about, read from the JVM's description of it:
 * {@code the return value of "...RetriesDto.getRetries()" is null} is {@code retries}, {@code "this.instructions" is
 * null} is {@code instructions}, {@code "migrationPlanDto" is null} is {@code migrationPlan}.
 */
final class MissingValues {

    /** A getter of a request's DTO. */
    private static final Pattern GETTER = Pattern.compile("the return value of \"[\\w.$]+Dto\\.(?:get|is)(\\w+)\\(\\)\" is null");
    /** A DTO itself (a part of the request), or a field of the DTO the exception was thrown in. */
    private static final Pattern DTO = Pattern.compile("because \"(\\w+)Dto\" is null");
    private static final Pattern OWN_FIELD = Pattern.compile("because \"this\\.(\\w+)\" is null");

    private MissingValues() {
    }

    /** The field, or null when the description names none; {@code thrower}: the class that threw. */
    static String field(String npeMessage, String thrower) {
        if (npeMessage == null) {
            return null;
        }
        Matcher getter = GETTER.matcher(npeMessage);
        if (getter.find()) {
            String name = getter.group(1);
            return Character.toLowerCase(name.charAt(0)) + name.substring(1);
        }
        Matcher dto = DTO.matcher(npeMessage);
        if (dto.find()) {
            return dto.group(1);
        }
        Matcher own = OWN_FIELD.matcher(npeMessage);
        return own.find() && thrower.endsWith("Dto") ? own.group(1) : null;
    }
}
