package io.rewardannotator.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardannotator.event.GeneratedResponse;
import io.rewardannotator.event.ScoredResponse;
import io.rewardannotator.registry.MockSchemaRegistry;
import io.rewardannotator.registry.SpecificAvroDeserializer;
import io.rewardannotator.registry.SpecificAvroSerializer;
import io.rewardannotator.scoring.ScoringService;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The processor alone, on a buffer store the test fills as a restore after a crash would. */
class MicroBatchProcessorTest {
    private static final String SCOPE = "micro-batch-processor-test";
    private static final Map<String, Object> SERDE_CONFIG = Map.of("schema.registry.url", "mock://" + SCOPE);
    private static final String TOPIC = "generated-responses";
    private static final ScoringService service = TinyScorer.shared();

    @AfterAll
    static void dropRegistryScope() {
        MockSchemaRegistry.dropScope(SCOPE);
    }

    @Test
    void shouldNotScoreARecordAgainWhenItIsReadAgainAfterARestoreUnderAtLeastOnce() {
        // given: a crash left offsets 0 and 1 buffered (restored with the store) but their offsets uncommitted
        SpecificAvroSerializer<GeneratedResponse> serializer = new SpecificAvroSerializer<>();
        serializer.configure(SERDE_CONFIG, false);
        List<GeneratedResponse> events = TestEvents.valid("dup", 3);
        byte[][] raw = events.stream().map(e -> serializer.serialize(TOPIC, e)).toArray(byte[][]::new);
        MockProcessorContext<byte[], Outcome> context = new MockProcessorContext<>();
        KeyValueStore<Long, BufferedRecord> buffer = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(TopologyNames.DEFAULT.bufferStore()), Serdes.Long(),
                        BufferedRecordSerde.SERDE)
                .withLoggingDisabled().build();
        buffer.init(context.getStateStoreContext(), buffer);
        context.addStateStore(buffer);
        for (int offset = 0; offset < 2; offset++) {
            buffer.put((long) offset, new BufferedRecord(key(events.get(offset)), raw[offset], 0L,
                    new RecordHeaders(), TOPIC, 0, offset));
        }
        SpecificAvroDeserializer<GeneratedResponse> decoder = new SpecificAvroDeserializer<>(GeneratedResponse.class);
        decoder.configure(SERDE_CONFIG, false);
        MicroBatchProcessor processor = new MicroBatchProcessor(service, decoder, BatchingSettings.defaults(),
                AnnotationListener.NONE, TopologyNames.DEFAULT, false, false);

        // when: the task starts on the restored buffer and reads from the last committed offset, 0
        processor.init(context);
        for (int offset = 0; offset < 3; offset++) {
            context.setRecordMetadata(TOPIC, 0, offset);
            processor.process(new Record<>(key(events.get(offset)), new InputEvent(raw[offset], events.get(offset)),
                    0L));
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (context.forwarded(TopologyNames.DEFAULT.scoredSink()).size() < 3 && System.nanoTime() < deadline) {
            context.scheduledPunctuators().get(0).getPunctuator().punctuate(System.currentTimeMillis());
        }

        // then: each record is scored once
        assertThat(context.forwarded(TopologyNames.DEFAULT.scoredSink()))
                .extracting(f -> f.record().value().scored().getResponseId())
                .containsExactly("dup-0", "dup-1", "dup-2");
        processor.close();
    }

    private static byte[] key(GeneratedResponse event) {
        return event.getResponseId().getBytes(StandardCharsets.UTF_8);
    }
}
