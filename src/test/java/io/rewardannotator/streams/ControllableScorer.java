package io.rewardannotator.streams;

import io.rewardannotator.scoring.RewardResult;
import io.rewardannotator.scoring.RewardScorer;
import io.rewardannotator.scoring.ScorerInfo;
import io.rewardannotator.text.Conversation;
import io.rewardannotator.text.EncodedConversation;
import io.rewardannotator.text.InputRejectedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A scorer that holds every result back until the test releases it: the real scorer computes it, this one
 * decides when its future completes (a deliberately slow scorer, to exercise back-pressure and ordering).
 */
final class ControllableScorer implements RewardScorer {
    private final RewardScorer real;
    private final List<Held> held = new ArrayList<>();

    ControllableScorer(RewardScorer real) {
        this.real = real;
    }

    @Override
    public ScorerInfo info() {
        return real.info();
    }

    @Override
    public EncodedConversation encode(Conversation conversation) throws InputRejectedException {
        return real.encode(conversation);
    }

    @Override
    public synchronized CompletableFuture<RewardResult> score(EncodedConversation encoded) {
        CompletableFuture<RewardResult> future = new CompletableFuture<>();
        held.add(new Held(real.score(encoded), future));
        return future;
    }

    /** Completes the held futures in the given order of their submission index (0 = first submitted). */
    synchronized void release(int... indices) {
        for (int index : indices) {
            Held h = held.get(index);
            h.released().complete(h.computed().join());
        }
    }

    synchronized void releaseAll() {
        for (Held h : held) {
            if (!h.released().isDone()) {
                h.released().complete(h.computed().join());
            }
        }
    }

    @Override
    public Optional<CompletableFuture<RewardResult>> tryScore(EncodedConversation encoded, Duration maxWait) {
        return Optional.of(score(encoded));
    }

    /** Submitted requests whose caller cancelled them. */
    synchronized long cancelled() {
        return held.stream().filter(h -> h.released().isCancelled()).count();
    }

    synchronized int submitted() {
        return held.size();
    }

    @Override
    public void close() {
        // the real scorer belongs to the test
    }

    private record Held(CompletableFuture<RewardResult> computed, CompletableFuture<RewardResult> released) {
    }
}
