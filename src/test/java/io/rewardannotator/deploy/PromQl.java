package io.rewardannotator.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough PromQL reading to find what a dashboard or alert asks Prometheus for: the series selectors
 * (metric name and label matchers) and the labels it groups by. Not a parser: range selectors, function calls
 * and operators are skipped by pattern.
 */
final class PromQl {
    /** Labels Prometheus adds when it scrapes a target: never on /metrics itself. */
    static final Set<String> TARGET_LABELS = Set.of("job", "instance", "namespace", "pod", "service", "container",
            "endpoint");
    private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*\\]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
    private static final Pattern BRACED = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)?\\s*\\{([^}]*)\\}");
    private static final Pattern BARE = Pattern.compile("(?<![\\w$.])([a-zA-Z_:][a-zA-Z0-9_:]*)\\b(?!\\s*\\()");
    private static final Pattern MATCHER = Pattern.compile("(\\w+)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][\\w:]*)\\s*,\\s*(\\w+)\\s*\\)");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan");

    /** One label matcher, e.g. {@code quantile="0.99"}. */
    record LabelMatcher(String label, String op, String value) {
    }

    /** A vector selector: the metric and its label matchers. */
    record Selector(String metric, List<LabelMatcher> matchers) {
    }

    /** What one expression reads. */
    record Query(String expression, List<Selector> selectors, Set<String> groupedBy) {
    }

    private PromQl() {
    }

    static Query read(String expression) {
        List<Selector> selectors = new ArrayList<>();
        Set<String> grouped = new LinkedHashSet<>();
        Matcher values = LABEL_VALUES.matcher(expression);
        if (values.find()) {
            // a Grafana variable query: label_values(metric, label)
            selectors.add(new Selector(values.group(1), List.of()));
            grouped.add(values.group(2));
            return new Query(expression, selectors, grouped);
        }
        // matchers first: their regular expressions may hold brackets and parentheses
        Matcher braced = BRACED.matcher(expression);
        StringBuilder outside = new StringBuilder();
        while (braced.find()) {
            List<LabelMatcher> matchers = new ArrayList<>();
            Matcher m = MATCHER.matcher(braced.group(2));
            while (m.find()) {
                matchers.add(new LabelMatcher(m.group(1), m.group(2), m.group(3)));
            }
            selectors.add(new Selector(braced.group(1), matchers));
            braced.appendReplacement(outside, " ");
        }
        braced.appendTail(outside);
        String rest = RANGE.matcher(outside).replaceAll(" ");
        Matcher groups = GROUPING.matcher(rest);
        while (groups.find()) {
            for (String label : groups.group(1).split(",")) {
                if (!label.isBlank()) {
                    grouped.add(label.strip());
                }
            }
        }
        rest = GROUPING.matcher(rest).replaceAll(" ");
        Matcher bare = BARE.matcher(rest);
        while (bare.find()) {
            if (!KEYWORDS.contains(bare.group(1).toLowerCase(java.util.Locale.ROOT))) {
                selectors.add(new Selector(bare.group(1), List.of()));
            }
        }
        return new Query(expression, selectors, grouped);
    }

    /** The series of a Prometheus text exposition: metric name to the label sets it is exposed with. */
    static Map<String, List<Map<String, String>>> series(String exposition) {
        Map<String, List<Map<String, String>>> series = new LinkedHashMap<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            String name = line.substring(0, brace >= 0 && brace < space ? brace : space);
            Map<String, String> labels = new LinkedHashMap<>();
            if (brace >= 0 && brace < space) {
                Matcher m = MATCHER.matcher(line.substring(brace, line.lastIndexOf('}') + 1));
                while (m.find()) {
                    labels.put(m.group(1), m.group(3));
                }
            }
            series.computeIfAbsent(name, n -> new ArrayList<>()).add(labels);
        }
        return series;
    }

    /**
     * Problems of a query against the exposed series: a metric that is not exposed, a matcher whose label no
     * series of the metric has (or whose fixed value none has), a grouping label none of its metrics has.
     * Labels Prometheus adds itself ({@link #TARGET_LABELS}) and matchers on Grafana variables are accepted.
     */
    static List<String> problems(Query query, Map<String, List<Map<String, String>>> series) {
        List<String> problems = new ArrayList<>();
        Set<String> labelsOfItsSeries = new LinkedHashSet<>();
        for (Selector selector : query.selectors()) {
            List<Map<String, String>> exposed = series.get(selector.metric());
            if (exposed == null) {
                problems.add(selector.metric() + " is not exposed (in: " + query.expression() + ")");
                continue;
            }
            exposed.forEach(labels -> labelsOfItsSeries.addAll(labels.keySet()));
            for (LabelMatcher m : selector.matchers()) {
                if (TARGET_LABELS.contains(m.label())) {
                    continue;
                }
                boolean found = exposed.stream().anyMatch(labels -> labels.containsKey(m.label())
                        && (m.value().contains("$") || matches(m, labels.get(m.label()))));
                if (!found) {
                    problems.add(selector.metric() + " has no series with " + m.label() + m.op() + "\"" + m.value()
                            + "\" (in: " + query.expression() + ")");
                }
            }
        }
        for (String label : query.groupedBy()) {
            if (!TARGET_LABELS.contains(label) && !labelsOfItsSeries.contains(label)) {
                problems.add("grouping label " + label + " is on none of its series (in: " + query.expression() + ")");
            }
        }
        return problems;
    }

    private static boolean matches(LabelMatcher m, String value) {
        return switch (m.op()) {
            case "=" -> value.equals(m.value());
            case "=~" -> value.matches(m.value());
            default -> true;
        };
    }
}
