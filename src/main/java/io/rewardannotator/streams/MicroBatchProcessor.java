package io.rewardannotator.streams;

import io.rewardannotator.event.GeneratedResponse;
import io.rewardannotator.event.ScoredResponse;
import io.rewardannotator.scoring.RewardResult;
import io.rewardannotator.scoring.RewardScorer;
import io.rewardannotator.scoring.ScorerFailedException;
import io.rewardannotator.streams.stats.PolicyKey;
import io.rewardannotator.streams.groups.MemberOutcome;
import io.rewardannotator.streams.stats.StatsOutcome;
import io.rewardannotator.text.EncodedConversation;
import io.rewardannotator.text.InputRejectedException;
import io.rewardannotator.text.RejectionReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
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
 * input order once they are ready, deleting them from the store in the same transaction. Its output is the sealed
 * {@link Outcome}, forwarded to its children by name (the names are pinned, so the DSL's {@code split()}, which
 * adds nodes, is not used): an {@link Outcome.Scored} to the scored sink, an {@link Outcome.Rejected} (original
 * bytes, reason in the headers) to the dead-letter sink, and, when statistics are on, an {@link Outcome.Stats} of
 * either (its {@link PolicyKey} and {@link StatsOutcome}) to the stats outcomes and, when groups are on, an
 * {@link Outcome.Member} of either whose response carries a {@code prompt_id} to the member outcomes. Each child reads its part through
 * a typed accessor of {@link Outcome}, so no child casts.
 *
 * <p>Threading: everything here runs on the task's stream thread. The scorer completes futures on its own
 * thread; this class only polls them ({@code isDone}, bounded {@code get}) and forwards from {@code process()}
 * and a wall-clock punctuator, never from a callback.
 *
 * <p>Back-pressure: the scorer's admission is bounded JVM-wide, and each task holds at most
 * {@code max.in.flight.per.task} records before {@code process()} waits for results. Every wait, for admission or
 * for a result, draws on the stream thread's {@link WaitBudget} ({@code max.block.ms} per commit, across all the
 * thread's tasks). Once it is spent, records are taken into the buffer without waiting (those the scorer has no
 * room for are submitted later, in input order) and a commit is requested, after which waiting resumes. So a slow
 * or full scorer slows intake but never fails a record and never holds a transaction open past the budget.
 *
 * <p>Failure: a record the model rejects is dead-lettered; a {@link ScorerFailedException} (the scorer as a whole
 * failed, or a record waited longer than {@code result.timeout.ms}) is rethrown, so the application stops with
 * the record still buffered for the next start.
 *
 * <p>Why a store and not a list: Kafka Streams commits input offsets on its own schedule. A record that sat
 * only in memory at a commit would be lost in a crash; one in the store is restored with the store and
 * resubmitted in {@link #init}. Under exactly-once the store, the outputs and the offsets commit atomically.
 * Under at-least-once a crash can leave a buffered record's offset uncommitted: when it is read again it is
 * skipped, since the restored copy is scored already.
 *
 * <p>Close (revocation, shutdown): pending requests are cancelled, so the scorer skips them and frees their
 * slots, and the task reports zero records in flight; the records stay in the store for the task's next owner.
 */
final class MicroBatchProcessor implements Processor<byte[], InputEvent, byte[], Outcome> {
    static final String SOURCE_TOPIC_HEADER = "reward-annotator.source.topic";
    static final String SOURCE_PARTITION_HEADER = "reward-annotator.source.partition";
    static final String SOURCE_OFFSET_HEADER = "reward-annotator.source.offset";

    private final RewardScorer scorer;
    private final EventMapping mapping;
    private final Deserializer<GeneratedResponse> decoder;
    private final BatchingSettings settings;
    private final AnnotationListener listener;
    private final TopologyNames names;
    private final boolean forwardStats;
    private final boolean forwardMembers;
    /** In input order; each entry's record is also in {@link #buffer} under the same sequence number. */
    private final TreeMap<Long, Pending> inFlight = new TreeMap<>();
    /** The records of {@link #inFlight} the scorer had no room for yet, in input order. */
    private final Deque<Pending> unadmitted = new ArrayDeque<>();
    /** Where the records restored with the buffer were read from: under at-least-once they may be read again. */
    private final Set<SourcePosition> restored = new HashSet<>();

    private ProcessorContext<byte[], Outcome> context;
    private KeyValueStore<Long, BufferedRecord> buffer;
    private long nextSequence;

    /**
     * @param forwardStats   whether to feed the statistics branch (child {@code names.statsOutcomes()})
     * @param forwardMembers whether to feed the group branch (child {@code names.memberOutcomes()}) with the
     *                       outcomes of responses that carry a {@code prompt_id}
     */
    MicroBatchProcessor(RewardScorer scorer, Deserializer<GeneratedResponse> decoder, BatchingSettings settings,
                        AnnotationListener listener, TopologyNames names, boolean forwardStats,
                        boolean forwardMembers) {
        this.scorer = scorer;
        this.mapping = new EventMapping(scorer.info());
        this.decoder = decoder;
        this.settings = settings;
        this.listener = listener;
        this.names = names;
        this.forwardStats = forwardStats;
        this.forwardMembers = forwardMembers;
    }

    @Override
    public void init(ProcessorContext<byte[], Outcome> context) {
        this.context = context;
        this.buffer = context.getStateStore(names.bufferStore());
        resubmitBuffered();
        context.schedule(settings.drainInterval(), PunctuationType.WALL_CLOCK_TIME, now -> drain());
    }

    /**
     * After a restart or rebalance: whatever the restored store still holds was never forwarded. Nothing waits
     * here (a large buffer would hold up the rebalance): what the scorer has no room for is submitted later.
     */
    private void resubmitBuffered() {
        try (KeyValueIterator<Long, BufferedRecord> it = buffer.all()) {
            while (it.hasNext()) {
                KeyValue<Long, BufferedRecord> entry = it.next();
                BufferedRecord record = entry.value;
                GeneratedResponse event = decoder.deserialize(record.topic(), record.headers(), record.value());
                take(entry.key, record, event);
                restored.add(new SourcePosition(record.topic(), record.partition(), record.offset()));
                nextSequence = entry.key + 1;
            }
        }
        admitWaiting(null);
        listener.inFlight(context.taskId().toString(), inFlight.size());
    }

    @Override
    public void process(Record<byte[], InputEvent> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        if (record.value() == null) {
            deadLetterTombstone(record, source);
            return;
        }
        if (restored.contains(new SourcePosition(source.topic(), source.partition(), source.offset()))) {
            return;
        }
        BufferedRecord buffered = new BufferedRecord(record.key(), record.value().raw(), record.timestamp(),
                new RecordHeaders(record.headers().toArray()), source.topic(), source.partition(), source.offset());
        long sequence = nextSequence++;
        buffer.put(sequence, buffered);
        take(sequence, buffered, record.value().event());
        WaitBudget budget = WaitBudget.ofThisThread();
        admitWaiting(budget);
        awaitCapacity(budget);
        drain();
        if (budget.leftNanos(settings.maxBlock()) <= 0) {
            // the thread has waited all it may in this transaction: commit it, then waiting may resume
            context.commit();
        }
    }

    /** Encodes a buffered record and queues it for admission; a record the encoder rejects is finished at once. */
    private void take(long sequence, BufferedRecord record, GeneratedResponse event) {
        EncodedConversation encoded = null;
        InputRejectedException rejected = null;
        try {
            encoded = scorer.encode(EventMapping.conversation(event));
        } catch (InputRejectedException e) {
            rejected = e;
        }
        // result.timeout.ms counts from here: queueing for the scorer included, tokenizing not
        Pending pending = new Pending(record, event, encoded, System.nanoTime());
        if (rejected == null) {
            unadmitted.add(pending);
        } else {
            pending.result = CompletableFuture.failedFuture(rejected);
        }
        inFlight.put(sequence, pending);
    }

    /**
     * Submits the records waiting for admission, in input order, while the scorer has room.
     *
     * @param budget what the waits draw on; {@code null}: do not wait
     */
    private void admitWaiting(WaitBudget budget) {
        while (!unadmitted.isEmpty()) {
            long wait = budget == null ? 0 : Math.max(0, budget.leftNanos(settings.maxBlock()));
            long started = System.nanoTime();
            Optional<CompletableFuture<RewardResult>> admitted;
            try {
                admitted = scorer.tryScore(unadmitted.peekFirst().encoded, Duration.ofNanos(wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ScorerFailedException("interrupted while waiting for room in the scorer", e);
            } finally {
                if (budget != null) {
                    budget.spend(System.nanoTime() - started);
                }
            }
            if (admitted.isEmpty()) {
                return;
            }
            unadmitted.removeFirst().result = admitted.get();
        }
    }

    /** While this task holds too many records, waits for the oldest, as long as the thread's budget allows. */
    private void awaitCapacity(WaitBudget budget) {
        while (inFlight.size() > settings.maxInFlightPerTask()) {
            long left = budget.leftNanos(settings.maxBlock());
            CompletableFuture<RewardResult> oldest = inFlight.firstEntry().getValue().result;
            if (left <= 0 || oldest == null) {
                // spent, or the oldest is not even admitted: admitWaiting spent the budget waiting for room
                return;
            }
            long started = System.nanoTime();
            try {
                oldest.get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return;
            } catch (ExecutionException | CancellationException e) {
                // a failed result is forwarded (dead-lettered or rethrown) by drain()
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ScorerFailedException("interrupted while waiting for scores", e);
            } finally {
                budget.spend(System.nanoTime() - started);
            }
            drain();
        }
    }

    /** Forwards every finished result at the head of the input order; stops at the first unfinished one. */
    private void drain() {
        admitWaiting(null);
        while (!inFlight.isEmpty()) {
            Map.Entry<Long, Pending> head = inFlight.firstEntry();
            Pending pending = head.getValue();
            if (pending.result == null || !pending.result.isDone()) {
                if (System.nanoTime() - pending.bufferedNanos > settings.resultTimeout().toNanos()) {
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
            result = pending.result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof InputRejectedException rejected) {
                deadLetter(pending, rejected);
                return;
            }
            // the scorer as a whole failed: stop, so the record stays buffered for the next attempt
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        BufferedRecord in = pending.record;
        ScoredResponse scored = mapping.scored(pending.event, result, Instant.now());
        Headers headers = new RecordHeaders(in.headers().toArray());
        headers.add(SOURCE_TOPIC_HEADER, in.topic().getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_PARTITION_HEADER, Integer.toString(in.partition()).getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_OFFSET_HEADER, Long.toString(in.offset()).getBytes(StandardCharsets.UTF_8));
        context.forward(new Record<>(in.key(), new Outcome.Scored(scored), in.timestamp(), headers),
                names.scoredSink());
        listener.scored(pending.event.getPolicy().getName(), pending.event.getPolicy().getVersion(),
                result.numTokens(), System.currentTimeMillis() - in.timestamp());
        forwardOutcome(pending, StatsOutcome.scored(result));
        GeneratedResponse event = pending.event;
        forwardMember(pending, () -> MemberOutcome.scored(event.getResponseId(), event.getPolicy().getName(),
                event.getPolicy().getVersion(), event.getGroupSize(), result));
    }

    private void deadLetter(Pending pending, InputRejectedException rejected) {
        BufferedRecord in = pending.record;
        DeadLetters.Stage stage = rejected.reason() == RejectionReason.INFERENCE_FAILED
                ? DeadLetters.Stage.SCORE : DeadLetters.Stage.VALIDATE;
        Headers headers = DeadLetters.headers(in.headers(), stage, rejected.reason().name(), rejected, in.topic(),
                in.partition(), in.offset());
        context.forward(new Record<>(in.key(), new Outcome.Rejected(in.value()), in.timestamp(), headers),
                names.deadLetterSink());
        listener.deadLettered(stage, rejected.reason().name(), pending.event.getPolicy().getName(),
                pending.event.getPolicy().getVersion());
        forwardOutcome(pending, StatsOutcome.deadLetter());
        GeneratedResponse event = pending.event;
        forwardMember(pending, () -> MemberOutcome.deadLettered(event.getResponseId(), event.getPolicy().getName(),
                event.getPolicy().getVersion(), event.getGroupSize()));
    }

    /** Feeds the statistics branch: the record's policy and outcome, at the input record's (event) time. */
    private void forwardOutcome(Pending pending, StatsOutcome outcome) {
        if (forwardStats) {
            Outcome.Stats stats = new Outcome.Stats(PolicyKey.of(pending.event.getPolicy()), outcome);
            context.forward(new Record<>(pending.record.key(), stats, pending.record.timestamp()),
                    names.statsOutcomes());
        }
    }

    /** Feeds the group branch when the response belongs to a group: its outcome, at the input record's time. */
    private void forwardMember(Pending pending, Supplier<MemberOutcome> outcome) {
        String promptId = pending.event.getPromptId();
        if (forwardMembers && promptId != null) {
            Outcome.Member member = new Outcome.Member(promptId, outcome.get());
            context.forward(new Record<>(pending.record.key(), member, pending.record.timestamp()),
                    names.memberOutcomes());
        }
    }

    private void deadLetterTombstone(Record<byte[], InputEvent> record, RecordMetadata source) {
        InputRejectedException error = new InputRejectedException(RejectionReason.MALFORMED_INPUT,
                "the record has no value (a tombstone is not a response to score)");
        Headers headers = DeadLetters.headers(record.headers(), DeadLetters.Stage.VALIDATE, error.reason().name(),
                error, source.topic(), source.partition(), source.offset());
        context.forward(new Record<>(record.key(), new Outcome.Rejected(null), record.timestamp(), headers),
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
        // Unfinished records stay in the store; whoever owns the task next resubmits them. The scorer skips the
        // cancelled requests and frees their slots for the tasks that remain.
        inFlight.values().stream().filter(p -> p.result != null).forEach(p -> p.result.cancel(false));
        inFlight.clear();
        unadmitted.clear();
        listener.inFlight(context.taskId().toString(), 0);
    }

    /** A buffered record on its way through the scorer; {@code result} is {@code null} until admitted. */
    private static final class Pending {
        final BufferedRecord record;
        final GeneratedResponse event;
        /** {@code null} when the encoder rejected the record */
        final EncodedConversation encoded;
        final long bufferedNanos;
        CompletableFuture<RewardResult> result;

        Pending(BufferedRecord record, GeneratedResponse event, EncodedConversation encoded, long bufferedNanos) {
            this.record = record;
            this.event = event;
            this.encoded = encoded;
            this.bufferedNanos = bufferedNanos;
        }
    }

    private record SourcePosition(String topic, int partition, long offset) {
    }
}
