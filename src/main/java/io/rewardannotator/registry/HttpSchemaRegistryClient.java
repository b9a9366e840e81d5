package io.rewardannotator.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/** The REST calls of {@link SchemaRegistryClient}, without caches (see {@link CachedSchemaRegistryClient}). */
final class HttpSchemaRegistryClient implements SchemaRegistryClient {

    private final RestTransport transport;

    HttpSchemaRegistryClient(RegistryConfig config) {
        this(new RestTransport(config, RestTransport.Sleeper.THREAD_SLEEP));
    }

    HttpSchemaRegistryClient(RestTransport transport) {
        this.transport = transport;
    }

    @Override
    public int register(String subject, Schema schema) {
        RestCall call = new RestCall("POST", "/subjects/" + encode(subject) + "/versions",
                schemaBody(schema), subject, null, schema.getFullName());
        return requireInt(transport.send(call), "id", call);
    }

    @Override
    public int idOf(String subject, Schema schema) {
        RestCall call = new RestCall("POST", "/subjects/" + encode(subject), schemaBody(schema),
                subject, null, schema.getFullName());
        return requireInt(transport.send(call), "id", call);
    }

    @Override
    public Schema schemaById(int id) {
        RestCall call = new RestCall("GET", "/schemas/ids/" + id, null, null, id, null);
        return parseSchema(transport.send(call), call);
    }

    @Override
    public RegisteredSchema latestVersion(String subject) {
        RestCall call = new RestCall("GET", "/subjects/" + encode(subject) + "/versions/latest",
                null, subject, null, null);
        JsonNode answer = transport.send(call);
        return new RegisteredSchema(answer.path("subject").asText(subject), requireInt(answer, "id", call),
                requireInt(answer, "version", call), parseSchema(answer, call));
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        RestCall call = new RestCall("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest",
                schemaBody(schema), subject, null, schema.getFullName());
        JsonNode answer = transport.send(call);
        if (!answer.path("is_compatible").isBoolean()) {
            throw malformed(call, "a boolean 'is_compatible'");
        }
        return answer.get("is_compatible").booleanValue();
    }

    @Override
    public void close() {
        // java.net.http.HttpClient holds no resources that need closing on Java 17
    }

    private static String schemaBody(Schema schema) {
        return JsonNodeFactory.instance.objectNode().put("schema", schema.toString()).toString();
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private int requireInt(JsonNode answer, String field, RestCall call) {
        if (!answer.path(field).canConvertToInt() || !answer.path(field).isIntegralNumber()) {
            throw malformed(call, "an integer '" + field + "'");
        }
        return answer.get(field).intValue();
    }

    private Schema parseSchema(JsonNode answer, RestCall call) {
        if (!answer.path("schema").isTextual()) {
            throw malformed(call, "a string 'schema'");
        }
        String type = answer.path("schemaType").asText("AVRO");
        try {
            return new Schema.Parser().parse(answer.get("schema").asText());
        } catch (SchemaParseException e) {
            throw new RegistryRequestException(-1, String.format("Schema registry %s returned a %s schema for %s %s "
                    + "that is not valid Avro: %s", transport.registryName(), type, call.method(), call.path(),
                    e.getMessage()));
        }
    }

    private RegistryRequestException malformed(RestCall call, String expected) {
        return new RegistryRequestException(-1, String.format("Schema registry %s answered %s %s without %s: "
                + "is %s a Confluent-compatible registry?", transport.registryName(), call.method(), call.path(),
                expected, RegistryConfig.URL_CONFIG));
    }
}
