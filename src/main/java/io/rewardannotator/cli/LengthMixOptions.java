package io.rewardannotator.cli;

import picocli.CommandLine.Option;

/** The benchmarks' length mix: token lengths drawn log-uniformly between two bounds, from a seed. */
final class LengthMixOptions {
    @Option(names = "--min-tokens", defaultValue = "50", description = "Shortest input (default: ${DEFAULT-VALUE}).")
    int minTokens;

    @Option(names = "--max-tokens", defaultValue = "2000", description = "Longest input (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the lengths (default: ${DEFAULT-VALUE}).")
    long seed;
}
