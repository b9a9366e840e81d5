package io.rewardannotator.registry;

import io.rewardannotator.registry.RegistryConfig.Keystore;
import io.rewardannotator.registry.RegistryConfig.Truststore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;

/** Builds the TLS context of the registry client from a configured trust store and key store. */
final class TlsContexts {

    private TlsContexts() {
    }

    /**
     * A context trusting exactly the certificates of {@code truststore} (the JVM's default ones without it) and
     * presenting the key of {@code keystore}, if any, to a registry that asks for a client certificate.
     */
    static SSLContext of(Optional<Truststore> truststore, Optional<Keystore> keystore) {
        TrustManager[] trust = truststore.map(TlsContexts::trustManagers).orElse(null);
        KeyManager[] keys = keystore.map(TlsContexts::keyManagers).orElse(null);
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS implementation in this JVM", e);
        }
    }

    private static TrustManager[] trustManagers(Truststore truststore) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load(truststore.location(), truststore.type(), truststore.password()));
            return trust.getTrustManagers();
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(RegistryConfig.TRUSTSTORE_LOCATION_CONFIG, truststore.location().toString(),
                    "cannot load the trust store (" + e + "); check the file, "
                            + RegistryConfig.TRUSTSTORE_TYPE_CONFIG + " and " + RegistryConfig.TRUSTSTORE_PASSWORD_CONFIG);
        }
    }

    private static KeyManager[] keyManagers(Keystore keystore) {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(keystore.location(), keystore.type(), keystore.password()),
                    keystore.keyPassword() == null ? null : keystore.keyPassword().toCharArray());
            return keys.getKeyManagers();
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(RegistryConfig.KEYSTORE_LOCATION_CONFIG, keystore.location().toString(),
                    "cannot load the key store (" + e + "); check the file, " + RegistryConfig.KEYSTORE_TYPE_CONFIG
                            + ", " + RegistryConfig.KEYSTORE_PASSWORD_CONFIG + " and "
                            + RegistryConfig.KEY_PASSWORD_CONFIG);
        }
    }

    private static KeyStore load(Path location, String type, String password)
            throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(location)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password == null ? null : password.toCharArray());
            return store;
        }
    }
}
