package io.rewardannotator.streams;

/** Names of the topology's nodes and store, fixed so that restarts find their state. */
record TopologyNames(String source, String processor, String bufferStore, String scoredSink, String deadLetterSink) {
    static final TopologyNames DEFAULT = new TopologyNames("generated-responses-source", "micro-batch-scorer",
            "micro-batch-buffer", "scored-responses-sink", "dead-letter-sink");
}
