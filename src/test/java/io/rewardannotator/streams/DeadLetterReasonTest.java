package io.rewardannotator.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rewardannotator.registry.AvroSerdeException;
import io.rewardannotator.text.RejectionReason;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DeadLetterReasonTest {
    @Test
    void shouldHaveAReasonForEveryRejection() {
        for (RejectionReason rejection : RejectionReason.values()) {
            assertThat(DeadLetterReason.of(rejection).name()).isEqualTo(rejection.name());
        }
    }

    @Test
    void shouldHaveAReasonForEveryRegistryAndSerdeFailure() throws Exception {
        List<Class<?>> concrete = concreteSubclasses(AvroSerdeException.class);
        assertThat(concrete).hasSizeGreaterThan(10);
        for (Class<?> type : concrete) {
            AvroSerdeException error = instantiate(type);
            assertThat(DeadLetterReason.of(error).name()).as(type.getSimpleName()).isEqualTo(error.reason());
        }
        assertThat(DeadLetterReason.of(new IllegalStateException("x"))).isEqualTo(DeadLetterReason.UNDECODABLE);
    }

    @Test
    void shouldRefuseAHeaderValueOutsideTheVocabulary() {
        assertThatThrownBy(() -> DeadLetters.headers(new RecordHeaders(), DeadLetters.Stage.VALIDATE, "too-long",
                new IllegalStateException("x"), "t", 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldDocumentEveryReasonInTheEventsReference() throws IOException {
        String events = Files.readString(Path.of("docs/events.md"));
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            assertThat(events).contains("| `" + reason.name() + "` |");
        }
    }

    private static List<Class<?>> concreteSubclasses(Class<?> sealed) {
        List<Class<?>> out = new ArrayList<>();
        for (Class<?> sub : sealed.getPermittedSubclasses()) {
            if (sub.isSealed()) {
                out.addAll(concreteSubclasses(sub));
            } else if (!Modifier.isAbstract(sub.getModifiers())) {
                out.add(sub);
            }
        }
        return out;
    }

    /** Builds one with placeholder arguments: only its reason() matters here. */
    private static AvroSerdeException instantiate(Class<?> type) throws Exception {
        Constructor<?> constructor = type.getDeclaredConstructors()[0];
        constructor.setAccessible(true);
        Object[] args = Stream.of(constructor.getParameterTypes()).map(DeadLetterReasonTest::placeholder).toArray();
        return (AvroSerdeException) constructor.newInstance(args);
    }

    private static Object placeholder(Class<?> type) {
        if (type == int.class) {
            return 0;
        }
        if (type == byte.class) {
            return (byte) 1;
        }
        if (type == String.class) {
            return "x";
        }
        return null;
    }

}
