package io.rewardannotator.streams;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * A replay's gate in front of the scorer: forwards the records inside its {@link SliceBounds}, by their source
 * partition and offset, and drops the others. Runs on the stream thread; holds no state, so a dropped record's
 * offset commits like any processed one.
 */
final class SliceFilter implements Processor<byte[], InputEvent, byte[], InputEvent> {
    /** The node's name in the topology. */
    static final String NAME = "replay-slice-filter";

    private final SliceBounds bounds;
    private ProcessorContext<byte[], InputEvent> context;

    SliceFilter(SliceBounds bounds) {
        this.bounds = bounds;
    }

    @Override
    public void init(ProcessorContext<byte[], InputEvent> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], InputEvent> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        if (bounds.contains(source.topic(), source.partition(), source.offset())) {
            context.forward(record);
        }
    }
}
