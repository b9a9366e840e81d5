package io.rewardannotator.streams;

import io.rewardannotator.event.GeneratedResponse;
import io.rewardannotator.event.ScoredResponse;
import io.rewardannotator.scoring.RewardResult;
import io.rewardannotator.scoring.RewardScorer;
import io.rewardannotator.scoring.ScorerFailedException;
import io.rewardannotator.streams.stats.PolicyKey;
import io.rewardannotator.streams.stats.StatsOutcome;
import io.rewardannotator.text.InputRejectedException;
import io.rewardannotator.text.RejectionReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Buffers each input record in a changelogged store, submits it to the shared scorer, and forwards results in
 * input order once they are ready, deleting them from the store in the same transaction. It forwards to its
 * children by name: each scored event to the scored sink, each rejected record to the dead-letter sink, and,
 * when statistics are on, a {@link StatsOutcome} of either (keyed by {@link PolicyKey}) to the stats outcomes.
 *
 * <p>Threading: everything here runs on the task's stream thread. The scorer completes futures on its own
 * thread; this class only polls them ({@code isDone}, bounded {@code get}) and forwards from {@code process()}
 * and a wall-clock punctuator, never from a callback.
 *
 * <p>Why a store and not a list: Kafka Streams commits input offsets on its own schedule. A record that sat
 * only in memory at a commit would be lost in a crash; one in the store is restored with the store and
 * resubmitted in {@link #init}. Under exactly-once the store, the outputs and the offsets commit atomically.
 */
final class MicroBatchProcessor implements Processor<byte[], InputEvent, Object, Object> {
    static final String SOURCE_TOPIC_HEADER = "reward-annotator.source.topic";
    static final String SOURCE_PARTITION_HEADER = "reward-annotator.source.partition";
    static final String SOURCE_OFFSET_HEADER = "reward-annotator.source.offset";

    private final RewardScorer scorer;
    private final EventMapping mapping;
    private final Deserializer<GeneratedResponse> decoder;
    private final BatchingSettings settings;
    private final AnnotationListener listener;
    private final TopologyNames names;
    private final boolean forwardOutcomes;
    /** In input order; each entry's record is also in {@link #buffer} under the same sequence number. */
    private final TreeMap<Long, Pending> inFlight = new TreeMap<>();

    private ProcessorContext<Object, Object> context;
    private KeyValueStore<Long, BufferedRecord> buffer;
    private long nextSequence;

    /** @param forwardOutcomes whether to feed the statistics branch (child {@code names.statsOutcomes()}) */
    MicroBatchProcessor(RewardScorer scorer, Deserializer<GeneratedResponse> decoder, BatchingSettings settings,
                        AnnotationListener listener, TopologyNames names, boolean forwardOutcomes) {
        this.scorer = scorer;
        this.mapping = new EventMapping(scorer.info());
        this.decoder = decoder;
        this.settings = settings;
        this.listener = listener;
        this.names = names;
        this.forwardOutcomes = forwardOutcomes;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.buffer = context.getStateStore(names.bufferStore());
        resubmitBuffered();
        context.schedule(settings.drainInterval(), PunctuationType.WALL_CLOCK_TIME, now -> drain());
    }

    /** After a restart or rebalance: whatever the restored store still holds was never forwarded. */
    private void resubmitBuffered() {
        try (KeyValueIterator<Long, BufferedRecord> it = buffer.all()) {
            while (it.hasNext()) {
                KeyValue<Long, BufferedRecord> entry = it.next();
                BufferedRecord record = entry.value;
                GeneratedResponse event = decoder.deserialize(record.topic(), record.headers(), record.value());
                inFlight.put(entry.key, submit(record, event));
                nextSequence = entry.key + 1;
            }
        }
        listener.inFlight(context.taskId().toString(), inFlight.size());
    }

    @Override
    public void process(Record<byte[], InputEvent> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        if (record.value() == null) {
            deadLetterTombstone(record, source);
            return;
        }
        BufferedRecord buffered = new BufferedRecord(record.key(), record.value().raw(), record.timestamp(),
                new RecordHeaders(record.headers().toArray()), source.topic(), source.partition(), source.offset());
        long sequence = nextSequence++;
        buffer.put(sequence, buffered);
        inFlight.put(sequence, submit(buffered, record.value().event()));
        awaitCapacity();
        drain();
    }

    private Pending submit(BufferedRecord record, GeneratedResponse event) {
        CompletableFuture<RewardResult> future;
        try {
            future = scorer.score(scorer.encode(EventMapping.conversation(event)));
        } catch (InputRejectedException e) {
            future = CompletableFuture.failedFuture(e);
        }
        return new Pending(record, event, future, System.nanoTime());
    }

    /**
     * Back-pressure: while this task holds too many records, wait for the oldest, but never longer than
     * {@code maxBlock} in one call: the stream thread's transaction waits too. Past it, intake goes on one record
     * per call, and each call waits again.
     */
    private void awaitCapacity() {
        long deadline = System.nanoTime() + settings.maxBlock().toNanos();
        while (inFlight.size() > settings.maxInFlightPerTask()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                inFlight.firstEntry().getValue().result().get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return;
            } catch (ExecutionException e) {
                // a failed result is forwarded (dead-lettered or rethrown) by drain()
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ScorerFailedException("interrupted while waiting for scores", e);
            }
            drain();
        }
    }

    /** Forwards every finished result at the head of the input order; stops at the first unfinished one. */
    private void drain() {
        while (!inFlight.isEmpty()) {
            Map.Entry<Long, Pending> head = inFlight.firstEntry();
            Pending pending = head.getValue();
            if (!pending.result().isDone()) {
                if (System.nanoTime() - pending.submittedNanos() > settings.resultTimeout().toNanos()) {
                    throw timedOut();
                }
                break;
            }
            forward(pending);
            buffer.delete(head.getKey());
            inFlight.remove(head.getKey());
        }
        listener.inFlight(context.taskId().toString(), inFlight.size());
    }

    private void forward(Pending pending) {
        RewardResult result;
        try {
            result = pending.result().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof InputRejectedException rejected) {
                deadLetter(pending, rejected);
                return;
            }
            // the scorer as a whole failed: stop, so the record stays buffered for the next attempt
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        BufferedRecord in = pending.record();
        ScoredResponse scored = mapping.scored(pending.event(), result, Instant.now());
        Headers headers = new RecordHeaders(in.headers().toArray());
        headers.add(SOURCE_TOPIC_HEADER, in.topic().getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_PARTITION_HEADER, Integer.toString(in.partition()).getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_OFFSET_HEADER, Long.toString(in.offset()).getBytes(StandardCharsets.UTF_8));
        context.forward(new Record<byte[], Object>(in.key(), scored, in.timestamp(), headers), names.scoredSink());
        listener.scored(pending.event().getPolicy().getName(), pending.event().getPolicy().getVersion(),
                result.numTokens(), System.currentTimeMillis() - in.timestamp());
        forwardOutcome(pending, StatsOutcome.scored(result));
    }

    private void deadLetter(Pending pending, InputRejectedException rejected) {
        BufferedRecord in = pending.record();
        DeadLetters.Stage stage = rejected.reason() == RejectionReason.INFERENCE_FAILED
                ? DeadLetters.Stage.SCORE : DeadLetters.Stage.VALIDATE;
        Headers headers = DeadLetters.headers(in.headers(), stage, rejected.reason().name(), rejected, in.topic(),
                in.partition(), in.offset());
        context.forward(new Record<byte[], Object>(in.key(), in.value(), in.timestamp(), headers),
                names.deadLetterSink());
        listener.deadLettered(stage, rejected.reason().name(), pending.event().getPolicy().getName(),
                pending.event().getPolicy().getVersion());
        forwardOutcome(pending, StatsOutcome.deadLetter());
    }

    /** Feeds the statistics branch: the record's policy and outcome, at the input record's (event) time. */
    private void forwardOutcome(Pending pending, StatsOutcome outcome) {
        if (forwardOutcomes) {
            context.forward(new Record<Object, Object>(PolicyKey.of(pending.event().getPolicy()), outcome,
                    pending.record().timestamp()), names.statsOutcomes());
        }
    }

    private void deadLetterTombstone(Record<byte[], InputEvent> record, RecordMetadata source) {
        InputRejectedException error = new InputRejectedException(RejectionReason.MALFORMED_INPUT,
                "the record has no value (a tombstone is not a response to score)");
        Headers headers = DeadLetters.headers(record.headers(), DeadLetters.Stage.VALIDATE, error.reason().name(),
                error, source.topic(), source.partition(), source.offset());
        context.forward(new Record<byte[], Object>(record.key(), null, record.timestamp(), headers),
                names.deadLetterSink());
        listener.deadLettered(DeadLetters.Stage.VALIDATE, error.reason().name(), null, null);
    }

    private ScorerFailedException timedOut() {
        return new ScorerFailedException("a record waited more than " + settings.resultTimeout().toMillis()
                + " ms for its score (result.timeout.ms): the scorer is stuck, or far slower than the input rate "
                + "(lower max.in.flight.per.task or add capacity)");
    }

    @Override
    public void close() {
        // Unfinished records stay in the store; whoever owns the task next resubmits them.
        inFlight.clear();
    }

    private record Pending(BufferedRecord record, GeneratedResponse event, CompletableFuture<RewardResult> result,
                           long submittedNanos) {
    }
}
