package io.rewardannotator.devkit;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * CPU time used so far by the stream threads, by the scorer's threads, and by the whole process; for
 * benchmarks. Threads are told apart by name (Kafka Streams' {@code StreamThread}, the scorer's {@code reward-}).
 */
public record CpuTime(long streamNanos, long scorerNanos, long processNanos) {
    public static CpuTime now() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long stream = 0;
        long scorer = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            if (info.getThreadName().contains("StreamThread")) {
                stream += cpu;
            } else if (info.getThreadName().startsWith("reward-")) {
                scorer += cpu;
            }
        }
        long process = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
        return new CpuTime(stream, scorer, process);
    }

    public CpuTime minus(CpuTime earlier) {
        return new CpuTime(streamNanos - earlier.streamNanos, scorerNanos - earlier.scorerNanos,
                processNanos - earlier.processNanos);
    }
}
