package io.rewardannotator.model;

import io.rewardannotator.text.PromptKey;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keys and values of recently run prompts, so that a GRPO group split over several batches computes its
 * prompt once, not once per batch. Least recently used prompts go first once the cached bytes pass the budget;
 * a prompt larger than the whole budget is not kept. Thread-safe.
 *
 * <p>It also remembers (by hash) the prompts the scorer announced as shared by requests still to run ({@link
 * #expect}): a batch that holds only one of them runs the prompt apart and caches it for the others.
 */
final class PromptCache {
    private static final int EXPECTED = 4_096;
    private final long maxBytes;
    private final Map<PromptKey, List<ByteBuffer>> entries = new LinkedHashMap<>(16, 0.75f, true);
    private final Set<Integer> expected = Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Boolean> eldest) {
            return size() > EXPECTED;
        }
    });
    private long bytes;

    /** @param maxBytes the most bytes of keys and values kept */
    PromptCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** One read-only copy per past input, in the layout's order; null when not cached. */
    synchronized List<ByteBuffer> get(PromptKey prompt) {
        return entries.get(prompt);
    }

    /** Whether the prompt is cached or expected (a hash collision only costs a separate run of a prompt). */
    synchronized boolean known(PromptKey prompt) {
        return entries.containsKey(prompt) || expected.contains(prompt.hashCode());
    }

    /** Several rows with this prompt are on their way; ignored without a budget (the prompt could not be kept). */
    synchronized void expect(PromptKey prompt) {
        if (maxBytes > 0) {
            expected.add(prompt.hashCode());
        }
    }

    synchronized void put(PromptKey prompt, List<ByteBuffer> presents) {
        long size = size(presents);
        if (size > maxBytes || entries.containsKey(prompt)) {
            return;
        }
        entries.put(prompt, presents.stream().map(ByteBuffer::asReadOnlyBuffer).toList());
        bytes += size;
        Iterator<List<ByteBuffer>> oldest = entries.values().iterator();
        while (bytes > maxBytes) {
            bytes -= size(oldest.next());
            oldest.remove();
        }
    }

    synchronized long bytes() {
        return bytes;
    }

    private static long size(List<ByteBuffer> buffers) {
        return buffers.stream().mapToLong(ByteBuffer::remaining).sum();
    }
}
