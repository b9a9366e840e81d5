/**
 * A client for the Confluent Schema Registry REST API and Avro serdes that read and write its wire
 * format byte for byte, so that Confluent's deserializers (Java, confluent-kafka-python, Flink, kcat)
 * read our topics and ours read theirs.
 *
 * <ul>
 *   <li>{@link io.rewardannotator.registry.SchemaRegistryClient}: register, look up by id, latest
 *       version, id within a subject, compatibility; caches, retries with backoff, basic auth, TLS.
 *       {@code mock://scope} URLs give {@link io.rewardannotator.registry.MockSchemaRegistry}'s
 *       in-memory registries instead.</li>
 *   <li>{@link io.rewardannotator.registry.SpecificAvroSerde} /
 *       {@link io.rewardannotator.registry.GenericAvroSerde} and their halves: the wire format
 *       (magic byte 0, 4-byte big-endian schema id, Avro binary).</li>
 *   <li>{@link io.rewardannotator.registry.RegistryConfig} /
 *       {@link io.rewardannotator.registry.SerdeConfig}: typed configuration parsed from the map
 *       Kafka passes to {@code configure()}, with Confluent's property names.</li>
 *   <li>{@link io.rewardannotator.registry.AvroSerdeException}: the sealed hierarchy of failures,
 *       each with a stable {@code reason()} for dead-letter headers.</li>
 * </ul>
 *
 * <p>Depends on no other package of the annotator.
 */
package io.rewardannotator.registry;
