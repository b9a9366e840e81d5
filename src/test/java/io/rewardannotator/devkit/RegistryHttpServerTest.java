package io.rewardannotator.devkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rewardannotator.event.ScoredResponse;
import io.rewardannotator.registry.MockSchemaRegistry;
import io.rewardannotator.registry.SchemaRegistryClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RegistryHttpServerTest {
    private static final String SCOPE = "RegistryHttpServerTest";
    private static final ObjectMapper JSON = new ObjectMapper();

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.dropScope(SCOPE);
    }

    @Test
    void shouldServeTheInMemoryRegistrysSchemasInTheConfluentApi() throws Exception {
        SchemaRegistryClient registry = MockSchemaRegistry.clientForScope(SCOPE);
        int id = registry.register("scored-responses-value", ScoredResponse.getClassSchema());

        try (RegistryHttpServer server = RegistryHttpServer.start(registry)) {
            HttpResponse<String> byId = get(server.url() + "/schemas/ids/" + id);
            HttpResponse<String> latest = get(server.url() + "/subjects/scored-responses-value/versions/latest");
            HttpResponse<String> unknown = get(server.url() + "/schemas/ids/" + (id + 100));

            assertThat(byId.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(byId.body()).get("schema").asText())
                    .isEqualTo(ScoredResponse.getClassSchema().toString());
            JsonNode version = JSON.readTree(latest.body());
            assertThat(version.get("id").asInt()).isEqualTo(id);
            assertThat(version.get("version").asInt()).isEqualTo(1);
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(unknown.body()).get("error_code").asInt()).isEqualTo(40403);
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
