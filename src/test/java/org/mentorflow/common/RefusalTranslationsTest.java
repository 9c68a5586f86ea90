package org.mentorflow.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/**
 * Every refusal the code names ({@code "refused.<module>.<what>"}) is said in Chinese and in English, and the two bundles hold the
 * same refusals; a refusal's {@code getMessage()} is its English, with numbers as written.
 */
class RefusalTranslationsTest {

    private static final Pattern KEY = Pattern.compile("\"(refused\\.[a-z]+\\.[A-Za-z0-9.]*[A-Za-z0-9])\"");

    @Test
    void everyRefusalHasChineseAndEnglish() throws IOException {
        Set<String> zh = refusals("messages_zh_CN.properties");
        Set<String> en = refusals("messages_en.properties");
        assertThat(zh).as("refusals of messages_zh_CN.properties and messages_en.properties").isEqualTo(en);
        Set<String> named = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = KEY.matcher(Files.readString(f));
                while (m.find()) {
                    named.add(m.group(1));
                }
            }
        }
        named.removeIf(k -> k.endsWith(".answer.")); // a prefix: refused.matching.answer.<status>
        assertThat(named).isNotEmpty();
        assertThat(named.stream().filter(k -> !zh.contains(k)).toList()).as("refusals without a text").isEmpty();
    }

    @Test
    void theMessageIsEnglishWithNumbersAsWritten() {
        RefusedException e = RefusedException.invalid("refused.preferences.tooMany", 1234);
        assertThat(e.getMessage()).isEqualTo("Rank at most 3 positions (you sent 1234).");
        assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(RefusedException.of(HttpStatus.BAD_REQUEST, "refused.school.studentRowOf", 2, "2790002",
                RefusedException.invalid("refused.school.noMajor", "XXX")).getMessage())
                .isEqualTo("Student 2 (2790002): There is no major XXX.");
        assertThat(RefusedException.invalid("refused.agreement.policyNumber", "P-1").getMessage())
                .isEqualTo("Policy number 'P-1' should be 4–64 letters, digits or dashes.");
    }

    private static Set<String> refusals(String bundle) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("src/main/resources", bundle), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p.stringPropertyNames().stream().filter(k -> k.startsWith("refused."))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
