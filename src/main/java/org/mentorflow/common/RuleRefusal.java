package org.mentorflow.common;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;

/**
 * A refusal by one or more rules of the internship regulation (职业学校学生实习管理规定, 2021) as the school's decision
 * tables state them: each broken rule is named ({@code rule.<RULE>} in the message bundles) and said in the reader's
 * language. Thrown before anything is written, or inside the transaction that then rolls back: nothing is recorded.
 */
public class RuleRefusal extends RefusedException {

    /** One broken rule: its name (the decision table's output) and the values its message shows. */
    public record Broken(String rule, List<Object> values) {
        public Broken {
            values = List.copyOf(values);
        }
    }

    private final List<Broken> broken;

    public RuleRefusal(List<Broken> broken, String english) {
        super(HttpStatus.BAD_REQUEST, english);
        if (broken.isEmpty()) {
            throw new IllegalArgumentException("A rule refusal names at least one rule");
        }
        this.broken = List.copyOf(broken);
    }

    public List<Broken> broken() {
        return broken;
    }

    /** The names of the broken rules, as the decision tables write them (UNDER_16, PAY_BELOW_POST_WAGE …). */
    public List<String> rules() {
        return broken.stream().map(Broken::rule).toList();
    }

    /** Every broken rule in the reader's language, one sentence each. */
    @Override
    public String message(MessageSource messages, Locale locale) {
        return broken.stream()
                .map(b -> messages.getMessage("rule." + b.rule(), b.values().toArray(), b.rule(), locale))
                .collect(Collectors.joining(" "));
    }
}
