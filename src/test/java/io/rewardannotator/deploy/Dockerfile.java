package io.rewardannotator.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile as a list of instructions, each tagged with its build stage: enough to check what an image
 * exposes, runs and is built with, without a Docker engine. Continuation lines are joined, comments dropped.
 */
record Dockerfile(List<Instruction> instructions) {
    private static final Pattern ASSIGNMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_.]*)=(\"[^\"]*\"|\\S*)");

    /** One instruction; {@code stage} is the index of its FROM (-1 before the first), {@code stageName} its AS name. */
    record Instruction(int stage, String stageName, String keyword, String arguments) {
    }

    static Dockerfile parse(Path file) {
        List<Instruction> out = new ArrayList<>();
        int stage = -1;
        String stageName = "";
        StringBuilder pending = new StringBuilder();
        for (String line : RepositoryFiles.lines(file)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && pending.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            String text = pending.append(trimmed).toString().strip();
            pending.setLength(0);
            String[] parts = text.split("\\s+", 2);
            String keyword = parts[0].toUpperCase(Locale.ROOT);
            String arguments = parts.length > 1 ? parts[1] : "";
            if (keyword.equals("FROM")) {
                stage++;
                String[] from = arguments.split("\\s+");
                stageName = from.length == 3 && from[1].equalsIgnoreCase("AS") ? from[2] : "";
            }
            out.add(new Instruction(stage, stageName, keyword, arguments));
        }
        return new Dockerfile(List.copyOf(out));
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    List<Instruction> inStage(String stageName, String keyword) {
        return all(keyword).stream().filter(i -> i.stageName().equals(stageName)).toList();
    }

    int lastStage() {
        return instructions.get(instructions.size() - 1).stage();
    }

    /** Instructions of the image that is run (the last stage). */
    List<Instruction> finalStage(String keyword) {
        return all(keyword).stream().filter(i -> i.stage() == lastStage()).toList();
    }

    Optional<String> single(List<Instruction> instructions) {
        if (instructions.size() > 1) {
            throw new IllegalStateException("expected at most one of " + instructions);
        }
        return instructions.stream().map(Instruction::arguments).findFirst();
    }

    /** The base image of a named stage, as written (may hold ${ARG} references). */
    Optional<String> baseOf(String stageName) {
        return all("FROM").stream().filter(i -> i.stageName().equals(stageName))
                .map(i -> i.arguments().split("\\s+")[0]).findFirst();
    }

    /** Default of a global ARG (declared before the first FROM). */
    Optional<String> globalArg(String name) {
        return all("ARG").stream().filter(i -> i.stage() < 0).map(Instruction::arguments)
                .filter(a -> a.startsWith(name + "=")).map(a -> a.substring(name.length() + 1)).findFirst();
    }

    /** ${NAME} in an instruction argument replaced by the global ARG default. */
    String expand(String text) {
        Matcher m = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}").matcher(text);
        return m.replaceAll(r -> Matcher.quoteReplacement(globalArg(r.group(1)).orElse(r.group())));
    }

    /** ENV of the final stage, in KEY=VALUE form (quotes removed). */
    Map<String, String> finalEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (Instruction i : finalStage("ENV")) {
            Matcher m = ASSIGNMENT.matcher(i.arguments());
            while (m.find()) {
                env.put(m.group(1), m.group(2).replaceAll("^\"|\"$", ""));
            }
        }
        return env;
    }
}
