package io.rewardannotator.cli;

import io.rewardannotator.event.AttributeScore;
import io.rewardannotator.event.ChatMessage;
import io.rewardannotator.event.GroupMember;
import io.rewardannotator.event.Reward;
import io.rewardannotator.event.RewardStats;
import io.rewardannotator.event.ScoredGroup;
import io.rewardannotator.event.ScoredResponse;
import io.rewardannotator.streams.DeadLetters;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** Renders scored events and dead letters for a person reading a terminal. */
final class DemoPrinter {
    private static final int EXCERPT = 60;
    private static final char[] BARS = "▁▂▃▄▅▆▇█".toCharArray();

    private final PrintWriter out;

    DemoPrinter(PrintWriter out) {
        this.out = out;
    }

    void scored(ScoredResponse event) {
        Reward r = event.getReward();
        out.printf(Locale.ROOT, "%-20s score %7.3f   spread %6.3f   CVaR(%.2f) %7.3f   tokens %d%n",
                event.getResponseId(), r.getScore(), r.getSpread(), r.getCvarAlpha(), r.getCvar(), r.getTokenCount());
        List<ChatMessage> prompt = event.getPrompt();
        out.printf("%-20s prompt   \"%s\"%n", "", excerpt(prompt.get(prompt.size() - 1).getContent()));
        out.printf("%-20s response \"%s\"%n", "", excerpt(event.getResponse()));
        List<Double> sorted = new ArrayList<>(r.getQuantiles());
        sorted.sort(null);
        out.printf(Locale.ROOT, "%-20s quantiles %s  %.2f .. %.2f (q%02.0f .. q%02.0f)%n", "", sparkline(sorted),
                sorted.get(0), sorted.get(sorted.size() - 1), 100 * r.getQuantileLevels().get(0),
                100 * r.getQuantileLevels().get(r.getQuantileLevels().size() - 1));
        List<AttributeScore> top = new ArrayList<>(r.getAttributes());
        top.sort(Comparator.comparingDouble(AttributeScore::getGatingWeight).reversed());
        StringBuilder line = new StringBuilder();
        for (AttributeScore a : top.subList(0, Math.min(3, top.size()))) {
            line.append(String.format(Locale.ROOT, "%s %.2f (weight %.2f)   ", a.getName(), a.getScore(),
                    a.getGatingWeight()));
        }
        out.printf("%-20s top attributes: %s%n", "", line.toString().strip());
    }

    void deadLetter(ConsumerRecord<byte[], byte[]> record) {
        out.printf("%-20s %s at %s: %s%n", new String(record.key(), StandardCharsets.UTF_8),
                header(record, DeadLetters.REASON), header(record, DeadLetters.STAGE),
                header(record, DeadLetters.MESSAGE));
    }

    /** One closed reward-stats window: what monitoring sees of a policy version. */
    void stats(RewardStats s) {
        out.printf(Locale.ROOT, "%s %s, %s .. %s: %d scored, %d dead-lettered%n", s.getPolicy().getName(),
                s.getPolicy().getVersion(), s.getWindowStart(), s.getWindowEnd(), s.getCount(), s.getDeadLetterCount());
        if (s.getCount() > 0) {
            out.printf(Locale.ROOT, "  mean score %.3f   p10 %.3f   p50 %.3f   p90 %.3f   mean spread %.3f   "
                    + "below %.2f: %.0f%%%n", s.getMeanScore(), s.getScoreP10(), s.getScoreP50(), s.getScoreP90(),
                    s.getMeanSpread(), s.getLowerTailThreshold(), 100 * s.getLowerTailRate());
        }
        if (s.getGroupCount() > 0) {
            out.printf(Locale.ROOT, "  %d groups, mean within-group spread of scores %.3f%n", s.getGroupCount(),
                    s.getMeanGroupSpread());
        }
    }

    /**
     * One group: each member's score, advantage and rank, then who beats whom with what probability (a pair:
     * the one probability a preference pipeline thresholds on).
     */
    void group(ScoredGroup g) {
        out.printf(Locale.ROOT, "%s: %d of %s members scored%s%s%n", g.getPromptId(), g.getMembers().size(),
                g.getExpectedSize() == null ? "?" : g.getExpectedSize().toString(),
                g.getMissing().isEmpty() ? "" : ", dead-lettered: " + g.getMissing(),
                g.getComplete() ? "" : " (closed by its wait)");
        for (GroupMember m : g.getMembers()) {
            out.printf(Locale.ROOT, "  %-20s score %7.3f   advantage %+6.3f   rank %d%n", m.getResponseId(), m.getScore(),
                    m.getAdvantage(), m.getRank());
        }
        List<List<Double>> p = g.getPBetter();
        if (p == null) {
            return;
        }
        List<GroupMember> members = g.getMembers();
        if (members.size() == 2) {
            out.printf(Locale.ROOT, "  P(%s better than %s) = %.3f%n", members.get(0).getResponseId(),
                    members.get(1).getResponseId(), p.get(0).get(1));
            return;
        }
        out.printf("  p_better (row beats column):%n  %-20s", "");
        for (GroupMember m : members) {
            out.printf(" %8s", m.getResponseId().length() <= 8 ? m.getResponseId() : m.getResponseId().substring(0, 8));
        }
        out.println();
        for (int i = 0; i < members.size(); i++) {
            out.printf("  %-20s", members.get(i).getResponseId());
            for (double v : p.get(i)) {
                out.printf(Locale.ROOT, " %8.3f", v);
            }
            out.println();
        }
    }

    /** The text on one line, cut to {@value #EXCERPT} characters. */
    static String excerpt(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= EXCERPT ? line : line.substring(0, EXCERPT - 1) + "…";
    }

    static String sparkline(List<Double> sorted) {
        double min = sorted.get(0);
        double range = Math.max(1e-12, sorted.get(sorted.size() - 1) - min);
        StringBuilder s = new StringBuilder(sorted.size());
        for (double v : sorted) {
            s.append(BARS[(int) Math.round((v - min) / range * (BARS.length - 1))]);
        }
        return s.toString();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? "?" : new String(h.value(), StandardCharsets.UTF_8);
    }
}
