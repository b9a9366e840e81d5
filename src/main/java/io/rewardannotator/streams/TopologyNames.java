package io.rewardannotator.streams;

/**
 * Names of the topology's nodes and store, fixed so that restarts find their state. {@code statsOutcomes} and
 * {@code memberOutcomes} are the micro-batch processor's children that feed {@code RewardStatsBranch} and
 * {@code GroupBranch}, which name their own nodes and stores.
 */
record TopologyNames(String source, String processor, String bufferStore, String scoredSink, String deadLetterSink,
                     String statsOutcomes, String memberOutcomes) {
    static final TopologyNames DEFAULT = new TopologyNames("generated-responses-source", "micro-batch-scorer",
            "micro-batch-buffer", "scored-responses-sink", "dead-letter-sink", "stats-outcomes",
            "group-member-outcomes");
}
