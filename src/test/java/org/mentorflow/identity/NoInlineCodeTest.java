package org.mentorflow.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Our pages work under the strict Content-Security-Policy ({@link WebSecurity#CSP}): no inline script, style or event
 * handler; and server data never becomes markup (issue 9, leak 1: the dashboard wrote a 404's detail with innerHTML).
 */
class NoInlineCodeTest {

    private static final Pattern INLINE = Pattern.compile(
            "<script(?![^>]*\\bsrc=)[^>]*>|<style\\b|\\sstyle=\"|\\son[a-z]+=\"|javascript:", Pattern.CASE_INSENSITIVE);
    private static final Pattern MARKUP_SINKS = Pattern.compile("innerHTML|outerHTML|insertAdjacentHTML|document\\.write|th:utext");

    @Test
    void pagesHaveNoInlineScriptStyleOrHandlers() throws IOException {
        assertThat(problems(INLINE, ".html")).isEmpty();
    }

    @Test
    void nothingWritesMarkupFromData() throws IOException {
        List<String> found = problems(MARKUP_SINKS, ".html");
        found.addAll(problems(MARKUP_SINKS, ".js"));
        assertThat(found).isEmpty();
    }

    private static List<String> problems(Pattern pattern, String suffix) throws IOException {
        List<String> found = new ArrayList<>();
        for (String dir : List.of("src/main/resources/templates", "src/main/resources/static")) {
            try (Stream<Path> files = Files.walk(Path.of(dir))) {
                for (Path f : files.filter(p -> p.toString().endsWith(suffix)).toList()) {
                    var m = pattern.matcher(Files.readString(f));
                    while (m.find()) {
                        found.add(f + ": " + m.group());
                    }
                }
            }
        }
        return found;
    }
}
