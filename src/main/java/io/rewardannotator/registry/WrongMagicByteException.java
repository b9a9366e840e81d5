package io.rewardannotator.registry;

/** A payload does not start with the Confluent wire format's magic byte 0: it was not written by an Avro serializer of that format. */
public final class WrongMagicByteException extends AvroSerdeException {

    WrongMagicByteException(String topic, byte found) {
        super("WRONG_MAGIC_BYTE", String.format(
                "Record on topic '%s' starts with byte 0x%02x, not the magic byte 0x00 of the Confluent wire format: "
                        + "it was not written by a schema-registry Avro serializer (check the producer's value.serializer)",
                topic, found), null);
    }
}
