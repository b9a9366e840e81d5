package io.rewardannotator.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * How to reach the schema registry: built from the map Kafka passes to {@code configure()}, with the
 * property names of Confluent's client so that configurations carry over. Invalid values fail here,
 * with a message naming the property to fix.
 *
 * @param urls base URLs, tried in turn when one cannot be reached; or a single {@code mock://scope}
 * @param credentials HTTP basic credentials, if any
 * @param truststore a trust store for {@code https} URLs; the JVM's default trust store when empty
 * @param keystore a key store whose key and certificate the client presents when the registry asks for one
 *                 (mutual TLS); none when empty
 * @param connectTimeout how long to wait for a TCP/TLS connection
 * @param requestTimeout how long to wait for a whole answer
 * @param maxRetries attempts after the first one, on connection errors and 5xx answers
 * @param retryWait the wait before the first retry; it doubles on each further retry
 * @param retryMaxWait the longest wait between two retries
 * @param latestCacheTtl how long a subject's latest version is cached; empty means until restart
 */
public record RegistryConfig(List<URI> urls, Optional<BasicCredentials> credentials,
                             Optional<Truststore> truststore, Optional<Keystore> keystore, Duration connectTimeout, Duration requestTimeout,
                             int maxRetries, Duration retryWait, Duration retryMaxWait,
                             Optional<Duration> latestCacheTtl) {

    public static final String URL_CONFIG = "schema.registry.url";
    public static final String CREDENTIALS_SOURCE_CONFIG = "basic.auth.credentials.source";
    public static final String USER_INFO_CONFIG = "basic.auth.user.info";
    /** Confluent's deprecated spelling of {@link #USER_INFO_CONFIG}, still accepted. */
    public static final String LEGACY_USER_INFO_CONFIG = "schema.registry.basic.auth.user.info";
    public static final String TRUSTSTORE_LOCATION_CONFIG = "schema.registry.ssl.truststore.location";
    public static final String TRUSTSTORE_PASSWORD_CONFIG = "schema.registry.ssl.truststore.password";
    public static final String TRUSTSTORE_TYPE_CONFIG = "schema.registry.ssl.truststore.type";
    public static final String KEYSTORE_LOCATION_CONFIG = "schema.registry.ssl.keystore.location";
    public static final String KEYSTORE_PASSWORD_CONFIG = "schema.registry.ssl.keystore.password";
    public static final String KEYSTORE_TYPE_CONFIG = "schema.registry.ssl.keystore.type";
    public static final String KEY_PASSWORD_CONFIG = "schema.registry.ssl.key.password";
    public static final String CONNECT_TIMEOUT_CONFIG = "http.connect.timeout.ms";
    public static final String READ_TIMEOUT_CONFIG = "http.read.timeout.ms";
    public static final String MAX_RETRIES_CONFIG = "max.retries";
    public static final String RETRIES_WAIT_CONFIG = "retries.wait.ms";
    public static final String RETRIES_MAX_WAIT_CONFIG = "retries.max.wait.ms";
    public static final String LATEST_CACHE_TTL_CONFIG = "latest.cache.ttl.sec";

    static final String MOCK_SCHEME = "mock";

    static final ConfigDef DEFINITION = new ConfigDef()
            .define(URL_CONFIG, Type.LIST, List.of(), Importance.HIGH,
                    "Comma-separated base URLs of the schema registry (http:// or https://), tried in turn when one "
                            + "cannot be reached; or mock://<scope> for an in-memory registry shared within the JVM.")
            .define(CREDENTIALS_SOURCE_CONFIG, Type.STRING, "URL",
                    ValidString.in("URL", "USER_INFO", "SASL_INHERIT"), Importance.MEDIUM,
                    "Where HTTP basic credentials come from: URL (user:pass@ in " + URL_CONFIG + ", if any) or "
                            + "USER_INFO (" + USER_INFO_CONFIG + "). Set it when the registry answers 401.")
            .define(USER_INFO_CONFIG, Type.PASSWORD, null, Importance.MEDIUM,
                    "user:password for HTTP basic auth, used when " + CREDENTIALS_SOURCE_CONFIG + "=USER_INFO.")
            .define(LEGACY_USER_INFO_CONFIG, Type.PASSWORD, null, Importance.LOW,
                    "Deprecated spelling of " + USER_INFO_CONFIG + ".")
            .define(TRUSTSTORE_LOCATION_CONFIG, Type.STRING, null, Importance.MEDIUM,
                    "Trust store file for https registry URLs; the JVM's default trust store when unset. "
                            + "Set it when the registry's certificate is signed by a private CA (PKIX path errors).")
            .define(TRUSTSTORE_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.MEDIUM,
                    "Password of " + TRUSTSTORE_LOCATION_CONFIG + ".")
            .define(TRUSTSTORE_TYPE_CONFIG, Type.STRING, "JKS", Importance.LOW,
                    "Type of " + TRUSTSTORE_LOCATION_CONFIG + ": JKS or PKCS12.")
            .define(KEYSTORE_LOCATION_CONFIG, Type.STRING, null, Importance.MEDIUM,
                    "Key store file with the client's key and certificate, for a registry that requires client "
                            + "certificates (mutual TLS); none when unset.")
            .define(KEYSTORE_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.MEDIUM,
                    "Password of " + KEYSTORE_LOCATION_CONFIG + ".")
            .define(KEYSTORE_TYPE_CONFIG, Type.STRING, "JKS", Importance.LOW,
                    "Type of " + KEYSTORE_LOCATION_CONFIG + ": JKS or PKCS12.")
            .define(KEY_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.LOW,
                    "Password of the key in " + KEYSTORE_LOCATION_CONFIG + "; the store's password when unset.")
            .define(CONNECT_TIMEOUT_CONFIG, Type.INT, 60_000, Range.atLeast(1), Importance.LOW,
                    "Milliseconds to wait for a connection to the registry.")
            .define(READ_TIMEOUT_CONFIG, Type.INT, 60_000, Range.atLeast(1), Importance.LOW,
                    "Milliseconds to wait for the registry's answer to one request.")
            .define(MAX_RETRIES_CONFIG, Type.INT, 3, Range.atLeast(0), Importance.LOW,
                    "Retries after a connection error or a 5xx answer. Raise it when registry fail-overs "
                            + "make producers fail with RegistryUnavailableException.")
            .define(RETRIES_WAIT_CONFIG, Type.INT, 1_000, Range.atLeast(0), Importance.LOW,
                    "Milliseconds before the first retry; each further retry waits twice as long.")
            .define(RETRIES_MAX_WAIT_CONFIG, Type.INT, 20_000, Range.atLeast(0), Importance.LOW,
                    "Upper bound in milliseconds of the wait between two retries.")
            .define(LATEST_CACHE_TTL_CONFIG, Type.LONG, -1L, Range.atLeast(-1), Importance.LOW,
                    "Seconds a subject's latest version stays cached (use.latest.version); -1 caches it until "
                            + "restart. Lower it when producers must pick up newly registered schemas.");

    public RegistryConfig {
        urls = List.copyOf(urls);
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(truststore, "truststore");
        Objects.requireNonNull(keystore, "keystore");
        Objects.requireNonNull(latestCacheTtl, "latestCacheTtl");
        if (urls.isEmpty()) {
            throw new ConfigException("Missing " + URL_CONFIG + ": set it to the registry's base URL "
                    + "(http(s)://host:port, comma-separated for several) or to mock://<scope> for an in-memory registry");
        }
        for (URI url : urls) {
            String scheme = url.getScheme();
            if (!"http".equals(scheme) && !"https".equals(scheme) && !MOCK_SCHEME.equals(scheme)) {
                throw new ConfigException(URL_CONFIG, url.toString(), "the URL must start with http://, https:// or mock://");
            }
            if (url.getRawUserInfo() != null) {
                throw new ConfigException(URL_CONFIG, "(hidden)", "credentials left in a URL; use RegistryConfig.from()");
            }
        }
        if (urls.size() > 1 && urls.stream().anyMatch(u -> MOCK_SCHEME.equals(u.getScheme()))) {
            throw new ConfigException(URL_CONFIG, urls.toString(), "a mock:// URL must be the only URL");
        }
        requirePositive(connectTimeout, CONNECT_TIMEOUT_CONFIG);
        requirePositive(requestTimeout, READ_TIMEOUT_CONFIG);
        if (maxRetries < 0) {
            throw new ConfigException(MAX_RETRIES_CONFIG, maxRetries, "must be >= 0");
        }
        if (retryWait.isNegative() || retryMaxWait.compareTo(retryWait) < 0) {
            throw new ConfigException(RETRIES_MAX_WAIT_CONFIG, retryMaxWait.toMillis(),
                    "must be >= " + RETRIES_WAIT_CONFIG + " (" + retryWait.toMillis() + "), and both >= 0");
        }
    }

    /** Parses Kafka-style configuration; unknown keys (producer, consumer and Streams settings) are ignored. */
    public static RegistryConfig from(Map<String, ?> configs) {
        Map<String, Object> values = DEFINITION.parse(configs);
        List<URI> withUserInfo = new ArrayList<>();
        for (Object url : (List<?>) values.get(URL_CONFIG)) {
            withUserInfo.add(parseUrl(url.toString().trim()));
        }
        long ttlSeconds = (Long) values.get(LATEST_CACHE_TTL_CONFIG);
        int retryWaitMs = (Integer) values.get(RETRIES_WAIT_CONFIG);
        int retryMaxWaitMs = (Integer) values.get(RETRIES_MAX_WAIT_CONFIG);
        return new RegistryConfig(
                withUserInfo.stream().map(RegistryConfig::withoutUserInfo).toList(),
                credentials(values, withUserInfo),
                truststore(values),
                keystore(values),
                Duration.ofMillis((Integer) values.get(CONNECT_TIMEOUT_CONFIG)),
                Duration.ofMillis((Integer) values.get(READ_TIMEOUT_CONFIG)),
                (Integer) values.get(MAX_RETRIES_CONFIG),
                Duration.ofMillis(retryWaitMs),
                Duration.ofMillis(Math.max(retryWaitMs, retryMaxWaitMs)),
                ttlSeconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(ttlSeconds)));
    }

    /** The scope of a {@code mock://scope} URL. */
    public Optional<String> mockScope() {
        URI url = urls.get(0);
        return MOCK_SCHEME.equals(url.getScheme())
                ? Optional.of(url.toString().substring((MOCK_SCHEME + "://").length()))
                : Optional.empty();
    }

    private static void requirePositive(Duration duration, String property) {
        if (duration.isZero() || duration.isNegative()) {
            throw new ConfigException(property, duration.toMillis(), "must be > 0");
        }
    }

    private static URI parseUrl(String url) {
        try {
            return new URI(url);
        } catch (URISyntaxException e) {
            throw new ConfigException(URL_CONFIG, url, "not a URL: " + e.getReason());
        }
    }

    private static URI withoutUserInfo(URI url) {
        if (url.getRawUserInfo() == null) {
            return url;
        }
        try {
            return new URI(url.getScheme(), null, url.getHost(), url.getPort(), url.getPath(), null, null);
        } catch (URISyntaxException e) {
            throw new ConfigException(URL_CONFIG, url.getHost(), "not a URL: " + e.getReason());
        }
    }

    private static Optional<BasicCredentials> credentials(Map<String, Object> values, List<URI> urls) {
        Password userInfo = (Password) values.get(USER_INFO_CONFIG);
        if (userInfo == null) {
            userInfo = (Password) values.get(LEGACY_USER_INFO_CONFIG);
        }
        switch ((String) values.get(CREDENTIALS_SOURCE_CONFIG)) {
            case "USER_INFO":
                if (userInfo == null) {
                    throw new ConfigException(CREDENTIALS_SOURCE_CONFIG, "USER_INFO",
                            "requires " + USER_INFO_CONFIG + "=user:password");
                }
                return Optional.of(BasicCredentials.parse(USER_INFO_CONFIG, userInfo.value()));
            case "URL":
                if (userInfo != null) {
                    throw new ConfigException(USER_INFO_CONFIG, "(hidden)", "is ignored unless "
                            + CREDENTIALS_SOURCE_CONFIG + "=USER_INFO; set that too");
                }
                return urls.stream().map(URI::getUserInfo).filter(Objects::nonNull).findFirst()
                        .map(info -> BasicCredentials.parse(URL_CONFIG, info));
            default:
                throw new ConfigException(CREDENTIALS_SOURCE_CONFIG, "SASL_INHERIT",
                        "not supported by this client; use USER_INFO with " + USER_INFO_CONFIG);
        }
    }

    private static Optional<Truststore> truststore(Map<String, Object> values) {
        String location = (String) values.get(TRUSTSTORE_LOCATION_CONFIG);
        if (location == null || location.isBlank()) {
            return Optional.empty();
        }
        Password password = (Password) values.get(TRUSTSTORE_PASSWORD_CONFIG);
        return Optional.of(new Truststore(Path.of(location), password == null ? null : password.value(),
                (String) values.get(TRUSTSTORE_TYPE_CONFIG)));
    }

    private static Optional<Keystore> keystore(Map<String, Object> values) {
        String location = (String) values.get(KEYSTORE_LOCATION_CONFIG);
        if (location == null || location.isBlank()) {
            return Optional.empty();
        }
        Password password = (Password) values.get(KEYSTORE_PASSWORD_CONFIG);
        Password keyPassword = (Password) values.get(KEY_PASSWORD_CONFIG);
        String store = password == null ? null : password.value();
        return Optional.of(new Keystore(Path.of(location), store, keyPassword == null ? store : keyPassword.value(),
                (String) values.get(KEYSTORE_TYPE_CONFIG)));
    }

    /** HTTP basic credentials; {@link #toString()} hides the password. */
    public record BasicCredentials(String user, String password) {

        public BasicCredentials {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
        }

        static BasicCredentials parse(String property, String userInfo) {
            int colon = userInfo.indexOf(':');
            if (colon <= 0) {
                throw new ConfigException(property, "(hidden)", "credentials must have the form user:password");
            }
            return new BasicCredentials(userInfo.substring(0, colon), userInfo.substring(colon + 1));
        }

        /** The value of an {@code Authorization} header carrying these credentials. */
        public String authorizationHeader() {
            byte[] pair = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
            return "Basic " + Base64.getEncoder().encodeToString(pair);
        }

        @Override
        public String toString() {
            return "BasicCredentials[user=" + user + ", password=(hidden)]";
        }
    }

    /** A trust store file; {@link #toString()} hides the password, which may be null. */
    public record Truststore(Path location, String password, String type) {

        public Truststore {
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(type, "type");
        }

        @Override
        public String toString() {
            return "Truststore[location=" + location + ", type=" + type + ", password=(hidden)]";
        }
    }

    /** A key store file with the client's key; {@link #toString()} hides the passwords, which may be null. */
    public record Keystore(Path location, String password, String keyPassword, String type) {

        public Keystore {
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(type, "type");
        }

        @Override
        public String toString() {
            return "Keystore[location=" + location + ", type=" + type + ", passwords=(hidden)]";
        }
    }
}
