package io.rewardannotator.streams;

/**
 * Names of the topology's nodes and store, fixed so that restarts find their state. {@code statsOutcomes} is the
 * micro-batch processor's child that feeds {@link RewardStatsBranch}, which names its own nodes and stores.
 */
record TopologyNames(String source, String processor, String bufferStore, String scoredSink, String deadLetterSink,
                     String statsOutcomes) {
    static final TopologyNames DEFAULT = new TopologyNames("generated-responses-source", "micro-batch-scorer",
            "micro-batch-buffer", "scored-responses-sink", "dead-letter-sink", "stats-outcomes");
}
