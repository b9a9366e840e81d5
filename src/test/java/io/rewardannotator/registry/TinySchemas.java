package io.rewardannotator.registry;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** A small test record, {id: string, n: int, xs: array<long>}, and a compatible second version of it. */
final class TinySchemas {

    static final Schema V1 = new Schema.Parser().parse("""
            {"type": "record", "name": "Tiny", "namespace": "test", "fields": [
              {"name": "id", "type": "string"},
              {"name": "n", "type": "int"},
              {"name": "xs", "type": {"type": "array", "items": "long"}}
            ]}""");

    /** V1 plus a field with a default: can read V1 data. */
    static final Schema V2 = new Schema.Parser().parse("""
            {"type": "record", "name": "Tiny", "namespace": "test", "fields": [
              {"name": "id", "type": "string"},
              {"name": "n", "type": "int"},
              {"name": "xs", "type": {"type": "array", "items": "long"}},
              {"name": "tag", "type": "string", "default": "none"}
            ]}""");

    /** V1 plus a field without a default: cannot read V1 data. */
    static final Schema BREAKING = new Schema.Parser().parse("""
            {"type": "record", "name": "Tiny", "namespace": "test", "fields": [
              {"name": "id", "type": "string"},
              {"name": "n", "type": "int"},
              {"name": "xs", "type": {"type": "array", "items": "long"}},
              {"name": "tag", "type": "string"}
            ]}""");

    private TinySchemas() {
    }

    static GenericRecord v1(String id, int n, long... xs) {
        GenericRecord record = new GenericData.Record(V1);
        record.put("id", id);
        record.put("n", n);
        GenericData.Array<Long> array = new GenericData.Array<>(xs.length, V1.getField("xs").schema());
        for (long x : xs) {
            array.add(x);
        }
        record.put("xs", array);
        return record;
    }
}
