package io.rewardannotator.streams;

import io.rewardannotator.event.AttributeScore;
import io.rewardannotator.event.GeneratedResponse;
import io.rewardannotator.event.Reward;
import io.rewardannotator.event.ScoredResponse;
import io.rewardannotator.event.Scorer;
import io.rewardannotator.scoring.RewardResult;
import io.rewardannotator.scoring.RewardStatistics;
import io.rewardannotator.scoring.ScorerInfo;
import io.rewardannotator.text.ChatMessage;
import io.rewardannotator.text.ChatRole;
import io.rewardannotator.text.Conversation;
import io.rewardannotator.text.InputRejectedException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Between the Avro events and the scorer's values: input event to conversation (the one mapping every command
 * uses), result to output event.
 */
public final class EventMapping {
    private final ScorerInfo info;
    private final Scorer scorer;

    EventMapping(ScorerInfo info) {
        this.info = info;
        this.scorer = scorer(info);
    }

    /** The {@code scorer} field of the events the annotator writes. */
    public static Scorer scorer(ScorerInfo info) {
        return Scorer.newBuilder().setModelName(info.name()).setModelRevision(info.revision())
                .setBundleDigest(info.bundleDigest()).setDevice(info.device()).build();
    }

    /** The conversation to score; a role other than system, user or assistant is rejected. */
    public static Conversation conversation(GeneratedResponse event) throws InputRejectedException {
        return conversation(event.getPrompt(), event.getResponse());
    }

    /** As {@link #conversation(GeneratedResponse)}, for an event's prompt and response given apart. */
    public static Conversation conversation(List<io.rewardannotator.event.ChatMessage> prompt, String response)
            throws InputRejectedException {
        List<ChatMessage> messages = new ArrayList<>(prompt.size());
        for (io.rewardannotator.event.ChatMessage message : prompt) {
            messages.add(new ChatMessage(ChatRole.parse(message.getRole()), message.getContent()));
        }
        return new Conversation(messages, response);
    }

    /** The input event's fields, the reward and the scorer. */
    ScoredResponse scored(GeneratedResponse event, RewardResult result, Instant scoredAt) {
        return ScoredResponse.newBuilder()
                .setResponseId(event.getResponseId())
                .setPromptId(event.getPromptId())
                .setGroupSize(event.getGroupSize())
                .setPrompt(event.getPrompt())
                .setResponse(event.getResponse())
                .setPolicy(event.getPolicy())
                .setGeneratedAt(event.getGeneratedAt())
                .setMetadata(event.getMetadata())
                .setReward(reward(result))
                .setScorer(scorer)
                .setScoredAt(scoredAt)
                .build();
    }

    private Reward reward(RewardResult r) {
        List<AttributeScore> attributes = new ArrayList<>(r.attributeScores().length);
        for (int k = 0; k < r.attributeScores().length; k++) {
            attributes.add(new AttributeScore(info.attributes().get(k), r.attributeScores()[k], r.gatingWeights()[k]));
        }
        RewardStatistics s = r.statistics();
        return Reward.newBuilder()
                .setScore(r.score())
                .setQuantiles(boxed(r.quantiles()))
                .setQuantileLevels(info.quantileLevels())
                .setAttributes(attributes)
                .setSpread(s.spread())
                .setIqr(s.iqr())
                .setCvar(s.cvar())
                .setCvarAlpha(s.cvarAlpha())
                .setCrossingCount(s.crossings())
                .setTokenCount(r.numTokens())
                .build();
    }

    private static List<Double> boxed(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(v);
        }
        return out;
    }
}
