package io.rewardannotator.devkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic read-committed on its own thread, as a downstream consumer would, counting records and the time
 * from each record's timestamp (the input's, which the annotator keeps) to when it became visible.
 */
public final class OutputWatcher implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final List<Long> latencies = new ArrayList<>();
    private long count;
    private volatile boolean running = true;

    private OutputWatcher(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        this.consumer = consumer;
        consumer.subscribe(List.of(topic));
        this.thread = new Thread(this::poll, "output-watcher");
        this.thread.setDaemon(true);
    }

    public static OutputWatcher start(String bootstrap, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "output-watcher-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        OutputWatcher watcher = new OutputWatcher(new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer()), topic);
        watcher.thread.start();
        return watcher;
    }

    private void poll() {
        while (running) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                long latency = System.currentTimeMillis() - record.timestamp();
                synchronized (this) {
                    count++;
                    latencies.add(latency);
                    notifyAll();
                }
            }
        }
        consumer.close();
    }

    /** Waits until {@code n} records have been seen. */
    public synchronized void awaitCount(long n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("saw " + count + " of " + n + " records within " + timeout);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    public synchronized void resetLatencies() {
        latencies.clear();
    }

    public synchronized List<Long> latencies() {
        return List.copyOf(latencies);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }
}
