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
 * <p>It also remembers (by hash) the prompts of recent rows that ran alone: a row whose prompt an earlier row had
 * is likely a group member, so its prompt is worth running apart and caching for the members still to come.
 */
final class PromptCache {
    private static final int SEEN = 4_096;
    private final long maxBytes;
    private final Map<PromptKey, List<ByteBuffer>> entries = new LinkedHashMap<>(16, 0.75f, true);
    private final Set<Integer> seen = Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Boolean> eldest) {
            return size() > SEEN;
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

    /** Whether the prompt is cached, or an earlier row that ran alone had it (a hash collision only costs a run). */
    synchronized boolean known(PromptKey prompt) {
        return entries.containsKey(prompt) || seen.contains(prompt.hashCode());
    }

    /** A row with this prompt ran alone. */
    synchronized void seen(PromptKey prompt) {
        seen.add(prompt.hashCode());
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
