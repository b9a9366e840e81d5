package io.rewardannotator.registry;

import io.rewardannotator.registry.RegistryConfig.Truststore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;

/** Builds the TLS context of the registry client from a configured trust store. */
final class TlsContexts {

    private TlsContexts() {
    }

    /** A context trusting exactly the certificates of {@code truststore}. */
    static SSLContext trusting(Truststore truststore) {
        char[] password = truststore.password() == null ? null : truststore.password().toCharArray();
        try (InputStream in = Files.newInputStream(truststore.location())) {
            KeyStore store = KeyStore.getInstance(truststore.type());
            store.load(in, password);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(RegistryConfig.TRUSTSTORE_LOCATION_CONFIG, truststore.location().toString(),
                    "cannot load the trust store (" + e + "); check the file, "
                            + RegistryConfig.TRUSTSTORE_TYPE_CONFIG + " and " + RegistryConfig.TRUSTSTORE_PASSWORD_CONFIG);
        }
    }
}
