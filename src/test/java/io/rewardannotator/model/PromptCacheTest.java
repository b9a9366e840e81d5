package io.rewardannotator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardannotator.text.PromptKey;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptCacheTest {
    private static PromptKey prompt(long id) {
        return PromptKey.of(new long[] {128000, id, id + 1}, 3);
    }

    /** Two past inputs of {@code bytes / 2} each. */
    private static List<ByteBuffer> presents(int bytes) {
        return List.of(ByteBuffer.allocate(bytes / 2), ByteBuffer.allocate(bytes / 2));
    }

    @Test
    void shouldDropTheLeastRecentlyUsedPromptOnceTheBudgetIsPassed() {
        PromptCache cache = new PromptCache(300);
        cache.put(prompt(1), presents(100));
        cache.put(prompt(2), presents(100));
        cache.get(prompt(1));                      // prompt 1 is now the more recent

        cache.put(prompt(3), presents(150));

        assertThat(cache.get(prompt(1))).isNotNull();
        assertThat(cache.get(prompt(2))).as("least recently used").isNull();
        assertThat(cache.get(prompt(3))).isNotNull();
        assertThat(cache.bytes()).isEqualTo(250);
    }

    @Test
    void shouldKeepNothingLargerThanTheBudgetAndNothingAtAllWithABudgetOfZero() {
        PromptCache small = new PromptCache(100);
        PromptCache off = new PromptCache(0);

        small.put(prompt(1), presents(200));
        off.put(prompt(1), presents(2));
        off.expect(prompt(2));

        assertThat(small.get(prompt(1))).isNull();
        assertThat(off.get(prompt(1))).isNull();
        assertThat(small.bytes() + off.bytes()).isZero();
        assertThat(off.known(prompt(2))).as("a prompt run apart would not be kept: no use running it apart")
                .isFalse();
    }

    @Test
    void shouldKnowAPromptThatIsCachedOrAnnouncedAndNoOther() {
        PromptCache cache = new PromptCache(1_000);
        cache.put(prompt(1), presents(10));
        cache.expect(prompt(2));

        assertThat(cache.known(prompt(1))).isTrue();
        assertThat(cache.known(prompt(2))).isTrue();
        assertThat(cache.known(prompt(3))).isFalse();
    }
}
