package org.mentorflow.common;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Database rows as an API answers them. */
public final class Rows {

    private Rows() {
    }

    /**
     * The same JSON keys on PostgreSQL and on H2, which answers column names in capitals (Spring's row maps read either
     * way, but serialize the keys as the database gave them).
     */
    public static Map<String, Object> withLowerCaseKeys(Map<String, Object> row) {
        Map<String, Object> m = new LinkedHashMap<>();
        row.forEach((k, v) -> m.put(k.toLowerCase(Locale.ROOT), v));
        return m;
    }
}
