package io.rewardannotator.app;

import io.rewardannotator.event.RewardStats;
import io.rewardannotator.event.ScoredGroup;
import io.rewardannotator.event.ScoredResponse;
import io.rewardannotator.registry.RegistryConfig;
import io.rewardannotator.registry.SchemaRegistryClient;
import io.rewardannotator.registry.SchemaRegistryException;
import io.rewardannotator.registry.SerdeConfig;
import io.rewardannotator.streams.groups.GroupSettings;
import io.rewardannotator.streams.stats.StatsSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.AuthenticationException;

/**
 * Fails fast, before any stream thread starts, on what an operator can fix: brokers that do not answer, topics
 * that do not exist, a schema registry that refuses the output schema. Messages say what to change.
 */
public final class StartupChecks {
    private StartupChecks() {
    }

    /** The brokers answer within the start-up timeout, and every topic exists (or is created when asked). */
    public static void kafka(AnnotatorConfig config) {
        Duration timeout = Duration.ofMillis(config.getLong(AnnotatorConfig.STARTUP_TIMEOUT_MS));
        Admin admin = Admin.create(adminProperties(config, timeout));
        try {
            String bootstrap = config.getString(AnnotatorConfig.BOOTSTRAP_SERVERS);
            try {
                admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof AuthenticationException) {
                    throw new StartupException(StartupException.Cause.KAFKA, "the Kafka brokers at " + bootstrap
                            + " refused the annotator: authentication failed. Check the credentials in "
                            + "kafka.sasl.jaas.config and kafka.sasl.mechanism, or the client certificate in "
                            + "kafka.ssl.keystore.* (" + rootMessage(e) + ")", e);
                }
                throw noAnswer(bootstrap, timeout, e);
            } catch (TimeoutException e) {
                throw noAnswer(bootstrap, timeout, e);
            }
            ensureTopics(admin, config, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException(StartupException.Cause.KAFKA, "interrupted while checking Kafka", e);
        } finally {
            // nothing is pending after the checks; after an interrupt (SIGTERM), calls still retrying are dropped
            admin.close(Duration.ZERO);
        }
    }

    private static StartupException noAnswer(String bootstrap, Duration timeout, Exception e) {
        return new StartupException(StartupException.Cause.KAFKA, "no Kafka broker answered at " + bootstrap
                + " within " + timeout.toSeconds() + " s: check bootstrap.servers and the kafka.security.* / "
                + "kafka.sasl.* settings (" + rootMessage(e) + ")", e);
    }

    private static void ensureTopics(Admin admin, AnnotatorConfig config, Duration timeout)
            throws InterruptedException {
        List<String> wanted = new ArrayList<>(config.topics().inputs());
        wanted.add(config.topics().output());
        wanted.add(config.topics().deadLetter());
        StatsSettings stats = config.statsSettings();
        if (stats.enabled()) {
            wanted.add(stats.topic());
        }
        GroupSettings groups = config.groupSettings();
        if (groups.enabled()) {
            wanted.add(groups.topic());
        }
        Set<String> existing;
        try {
            existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new StartupException(StartupException.Cause.KAFKA, "cannot list topics: " + rootMessage(e), e);
        }
        List<String> missing = wanted.stream().filter(t -> !existing.contains(t)).distinct().toList();
        if (missing.isEmpty()) {
            return;
        }
        if (!config.getBoolean(AnnotatorConfig.TOPICS_CREATE)) {
            throw new StartupException(StartupException.Cause.KAFKA, "topics " + missing + " do not exist: create "
                    + "them, or set topics.create=true (with topics.partitions and topics.replication.factor)", null);
        }
        int partitions = config.getInt(AnnotatorConfig.TOPICS_PARTITIONS);
        short replication = config.getInt(AnnotatorConfig.TOPICS_REPLICATION_FACTOR).shortValue();
        List<NewTopic> topics = missing.stream()
                .map(name -> new NewTopic(name, Optional.of(partitions), Optional.of(replication))).toList();
        try {
            admin.createTopics(topics).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new StartupException(StartupException.Cause.KAFKA, "cannot create topics " + missing + ": "
                    + rootMessage(e), e);
        }
    }

    /**
     * The registry accepts (auto.register.schemas) or already holds each output schema under its subject: the
     * scored responses', and the reward statistics' and the groups' when they are on.
     */
    public static void registry(AnnotatorConfig config) {
        Map<String, Object> serde = config.serdeConfig();
        SerdeConfig serdeConfig = SerdeConfig.from(serde);
        SchemaRegistryClient client = SchemaRegistryClient.create(RegistryConfig.from(serde));
        try {
            checkSchema(client, serdeConfig, config.topics().output(), "scored-response",
                    ScoredResponse.getClassSchema());
            StatsSettings stats = config.statsSettings();
            if (stats.enabled()) {
                checkSchema(client, serdeConfig, stats.topic(), "reward-stats", RewardStats.getClassSchema());
            }
            GroupSettings groups = config.groupSettings();
            if (groups.enabled()) {
                checkSchema(client, serdeConfig, groups.topic(), "scored-group", ScoredGroup.getClassSchema());
            }
        } finally {
            client.close();
        }
    }

    private static void checkSchema(SchemaRegistryClient client, SerdeConfig serdeConfig, String topic, String name,
                                    Schema schema) {
        String subject = serdeConfig.subjectNameStrategy(false).subject(topic, false, schema);
        try {
            if (serdeConfig.autoRegisterSchemas()) {
                client.register(subject, schema);
            } else {
                client.idOf(subject, schema);
            }
        } catch (SchemaRegistryException e) {
            throw new StartupException(StartupException.Cause.REGISTRY, "the schema registry refused the " + name
                    + " schema under subject '" + subject + "': " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> adminProperties(AnnotatorConfig config, Duration timeout) {
        // security and client settings apply to the admin client too; Streams-only keys are ignored by it
        Map<String, Object> props = config.adminClientProperties(config.getString(AnnotatorConfig.APPLICATION_ID)
                + "-startup");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE,
                timeout.toMillis()));
        return props;
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
