package io.rewardannotator.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;

/**
 * Sends {@link RestCall}s to the registry: content types, basic auth, timeouts, fail-over between
 * the configured URLs, and retries with exponential backoff on connection errors, 429 and 5xx answers.
 * Error answers become {@link SchemaRegistryException}s through {@link RegistryErrors}. Thread-safe.
 */
final class RestTransport {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json";

    /** Waits between attempts; replaced in tests so that they need not sleep. */
    @FunctionalInterface
    interface Sleeper {
        Sleeper THREAD_SLEEP = duration -> Thread.sleep(duration.toMillis());

        void sleep(Duration duration) throws InterruptedException;
    }

    private final RegistryConfig config;
    private final List<URI> urls;
    private final HttpClient http;
    private final Sleeper sleeper;
    private final ObjectMapper json = new ObjectMapper();
    /** Index (modulo the URL count) of the URL to try first: the last one that answered. */
    private final AtomicInteger preferredUrl = new AtomicInteger();

    RestTransport(RegistryConfig config, Sleeper sleeper) {
        this.config = config;
        this.urls = config.urls();
        this.sleeper = sleeper;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout());
        if (config.truststore().isPresent() || config.keystore().isPresent()) {
            builder.sslContext(TlsContexts.of(config.truststore(), config.keystore()));
        }
        this.http = builder.build();
    }

    /** What error messages call the registry: its URL(s). */
    String registryName() {
        return urls.size() == 1 ? urls.get(0).toString() : urls.toString();
    }

    /** Sends the call, retrying as configured, and returns the answer's JSON body. */
    JsonNode send(RestCall call) {
        int attempts = config.maxRetries() + 1;
        Exception lastFailure = null;
        for (int attempt = 0; attempt < attempts; attempt++) {
            if (attempt > 0) {
                backoff(attempt);
            }
            int urlIndex = preferredUrl.get();
            URI base = urls.get(Math.floorMod(urlIndex, urls.size()));
            try {
                HttpResponse<String> response = http.send(request(base, call), BodyHandlers.ofString());
                if (response.statusCode() / 100 == 2) {
                    return parse(base, response.body());
                }
                SchemaRegistryException error = error(base, response, call);
                if (!error.isRetriable()) {
                    throw error;
                }
                lastFailure = error;
            } catch (IOException e) {
                if (e instanceof SSLException || e.getCause() instanceof SSLException) {
                    throw new RegistryUnavailableException(-1, String.format("TLS connection to schema registry %s "
                            + "failed (%s): if its certificate is signed by a private CA, set %s to a trust store "
                            + "holding that CA", base, e.getMessage(), RegistryConfig.TRUSTSTORE_LOCATION_CONFIG), e);
                }
                lastFailure = e;
                preferredUrl.compareAndSet(urlIndex, urlIndex + 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryUnavailableException(-1, "Interrupted while calling schema registry " + base, e);
            }
        }
        throw exhausted(attempts, lastFailure);
    }

    private HttpRequest request(URI base, RestCall call) {
        String root = base.toString().replaceAll("/+$", "");
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(root + call.path()))
                .timeout(config.requestTimeout())
                .header("Accept", ACCEPT);
        config.credentials().ifPresent(c -> builder.header("Authorization", c.authorizationHeader()));
        if (call.body() == null) {
            return builder.method(call.method(), BodyPublishers.noBody()).build();
        }
        return builder.header("Content-Type", CONTENT_TYPE)
                .method(call.method(), BodyPublishers.ofString(call.body()))
                .build();
    }

    private void backoff(int retry) {
        long wait = config.retryWait().toMillis() << Math.min(retry - 1, 30);
        long capped = Math.min(wait < 0 ? Long.MAX_VALUE : wait, config.retryMaxWait().toMillis());
        try {
            sleeper.sleep(Duration.ofMillis(capped));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException(-1, "Interrupted while waiting to retry schema registry "
                    + registryName(), e);
        }
    }

    private JsonNode parse(URI base, String body) {
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new RegistryRequestException(-1, "Schema registry " + base
                    + " answered a body that is not JSON; is " + RegistryConfig.URL_CONFIG + " the registry's URL? "
                    + abbreviate(body));
        }
    }

    private SchemaRegistryException error(URI base, HttpResponse<String> response, RestCall call) {
        int status = response.statusCode();
        int errorCode = status;
        String detail = abbreviate(response.body());
        try {
            JsonNode body = json.readTree(response.body());
            if (body != null && body.hasNonNull("error_code")) {
                errorCode = body.get("error_code").asInt();
                detail = body.path("message").asText(detail);
            }
        } catch (JsonProcessingException e) {
            // not the registry's JSON error body (a proxy's page, for instance): keep the status and raw text
        }
        return RegistryErrors.fromResponse(base.toString(), status, errorCode, detail,
                call.subject(), call.schemaId(), call.schemaName());
    }

    private RegistryUnavailableException exhausted(int attempts, Exception lastFailure) {
        if (lastFailure instanceof SchemaRegistryException answered) {
            return new RegistryUnavailableException(answered.errorCode(), "Gave up after " + attempts
                    + " attempts: " + answered.getMessage(), answered);
        }
        return new RegistryUnavailableException(-1, String.format("Schema registry %s could not be reached in %d "
                        + "attempts (last: %s). Check %s and that the registry is up; %s and %s set how long the "
                        + "client keeps trying", registryName(), attempts, lastFailure, RegistryConfig.URL_CONFIG,
                RegistryConfig.MAX_RETRIES_CONFIG, RegistryConfig.RETRIES_WAIT_CONFIG), lastFailure);
    }

    private static String abbreviate(String text) {
        String oneLine = text == null ? "" : text.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
    }
}
