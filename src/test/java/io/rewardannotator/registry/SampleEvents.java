package io.rewardannotator.registry;

import io.rewardannotator.event.AttributeScore;
import io.rewardannotator.event.ChatMessage;
import io.rewardannotator.event.GeneratedResponse;
import io.rewardannotator.event.Policy;
import io.rewardannotator.event.Reward;
import io.rewardannotator.event.RewardStats;
import io.rewardannotator.event.ScoredResponse;
import io.rewardannotator.event.Scorer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One filled-in instance of each event type, with non-ASCII text and every optional field set. */
final class SampleEvents {

    static final Instant GENERATED_AT = Instant.parse("2025-03-01T12:00:00.123Z");
    static final Instant SCORED_AT = Instant.parse("2025-03-01T12:00:01.456Z");

    private SampleEvents() {
    }

    static Policy policy() {
        return Policy.newBuilder().setName("llama-3.1-8b-rlhf").setVersion("step-1200").build();
    }

    static GeneratedResponse generated() {
        return GeneratedResponse.newBuilder()
                .setResponseId("r-0001")
                .setPromptId("p-42")
                .setPrompt(List.of(
                        ChatMessage.newBuilder().setRole("system").setContent("Be brief.").build(),
                        ChatMessage.newBuilder().setRole("user").setContent("Wie spät ist es? 東京").build()))
                .setResponse("Es ist 12 Uhr. {{ not a template }}")
                .setPolicy(policy())
                .setGeneratedAt(GENERATED_AT)
                .setMetadata(Map.of("temperature", "0.7", "dataset", "hh-rlhf"))
                .build();
    }

    static ScoredResponse scored() {
        GeneratedResponse in = generated();
        return ScoredResponse.newBuilder()
                .setResponseId(in.getResponseId())
                .setPromptId(in.getPromptId())
                .setPrompt(in.getPrompt())
                .setResponse(in.getResponse())
                .setPolicy(in.getPolicy())
                .setGeneratedAt(in.getGeneratedAt())
                .setMetadata(in.getMetadata())
                .setReward(Reward.newBuilder()
                        .setScore(0.25)
                        .setQuantiles(List.of(-1.0, 0.0, 0.25, 0.5, 1.5))
                        .setQuantileLevels(List.of(0.1, 0.3, 0.5, 0.7, 0.9))
                        .setAttributes(List.of(
                                new AttributeScore("helpsteer-helpfulness", 0.5, 0.7),
                                new AttributeScore("beavertails-is_safe", -0.25, 0.3)))
                        .setSpread(0.85)
                        .setIqr(0.5)
                        .setCvar(-0.5)
                        .setCvarAlpha(0.25)
                        .setCrossingCount(0)
                        .setTokenCount(57)
                        .build())
                .setScorer(Scorer.newBuilder()
                        .setModelName("QRM-Llama3.1-8B")
                        .setModelRevision("abc123")
                        .setBundleDigest("0f".repeat(32))
                        .setDevice("cpu")
                        .build())
                .setScoredAt(SCORED_AT)
                .build();
    }

    static RewardStats stats() {
        return RewardStats.newBuilder()
                .setPolicy(policy())
                .setWindowStart(Instant.parse("2025-03-01T12:00:00Z"))
                .setWindowEnd(Instant.parse("2025-03-01T12:01:00Z"))
                .setCount(120)
                .setMeanScore(0.31)
                .setScoreP10(-0.8)
                .setScoreP50(0.3)
                .setScoreP90(1.2)
                .setMeanSpread(0.9)
                .setLowerTailRate(0.05)
                .setLowerTailThreshold(-1.0)
                .setDeadLetterCount(2)
                .build();
    }
}
