package io.rewardannotator.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rewardannotator.scoring.RewardResult;
import io.rewardannotator.scoring.RewardStatistics;
import io.rewardannotator.scoring.ScorerInfo;
import io.rewardannotator.text.InputRejectedException;

/** The JSON Lines output of the {@code score} command: one object per input line. */
final class ScoreJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ScorerInfo info;

    ScoreJson(ScorerInfo info) {
        this.info = info;
    }

    /** A scored record. Model outputs are float32, so they are written as floats (shortest exact form). */
    String scored(String id, RewardResult r) {
        ObjectNode out = JSON.createObjectNode();
        out.put("id", id);
        out.put("num_tokens", r.numTokens());
        out.put("score", (float) r.score());
        floats(out.putArray("quantiles"), r.quantiles());
        info.quantileLevels().forEach(out.putArray("quantile_levels")::add);
        floats(out.putArray("attribute_scores"), r.attributeScores());
        info.attributes().forEach(out.putArray("attributes")::add);
        floats(out.putArray("gating_weights"), r.gatingWeights());
        RewardStatistics s = r.statistics();
        ObjectNode stats = out.putObject("stats");
        stats.put("spread", (float) s.spread());
        stats.put("iqr", (float) s.iqr());
        stats.put("cvar", (float) s.cvar());
        stats.put("cvar_alpha", s.cvarAlpha());
        stats.put("crossings", s.crossings());
        if (r.droppedTurns() > 0) {
            out.put("dropped_turns", r.droppedTurns());
        }
        return out.toString();
    }

    /** A rejected record: {@code {"id", "error": {"reason", "message"}}}. */
    String rejected(String id, InputRejectedException e) {
        ObjectNode out = JSON.createObjectNode();
        out.put("id", id);
        ObjectNode error = out.putObject("error");
        error.put("reason", e.reason().name());
        error.put("message", e.getMessage());
        return out.toString();
    }

    private static void floats(ArrayNode array, double[] values) {
        for (double v : values) {
            array.add((float) v);
        }
    }
}
