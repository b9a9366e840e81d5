package io.rewardannotator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private certificate authority made with the JDK's keytool for TLS tests: a PKCS12 trust store holding only
 * the CA, and PKCS12 key stores whose certificates the CA signed for 127.0.0.1 and localhost (servers and
 * clients alike). Every store and key has the password {@link #PASSWORD}.
 */
public final class TestCertificates {
    public static final String PASSWORD = "test-store-pass";
    private final Path dir;
    private final Path caStore;
    private final Path caCertificate;

    private TestCertificates(Path dir) {
        this.dir = dir;
        this.caStore = dir.resolve("ca.p12");
        this.caCertificate = dir.resolve("ca.pem");
    }

    /** A new CA in {@code dir}. */
    public static TestCertificates create(Path dir) {
        TestCertificates pki = new TestCertificates(dir);
        keytool("-genkeypair", "-alias", "ca", "-dname", "CN=reward-annotator test CA", "-ext", "bc:c",
                "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", pki.caStore.toString(), "-storepass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", pki.caStore.toString(), "-storepass", PASSWORD,
                "-file", pki.caCertificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", pki.caCertificate.toString(),
                "-storetype", "PKCS12", "-keystore", pki.truststore().toString(), "-storepass", PASSWORD);
        return pki;
    }

    /** The trust store holding the CA's certificate only. */
    public Path truststore() {
        return dir.resolve("truststore.p12");
    }

    /** A key store for {@code name} (its common name too): a key, and its certificate chain up to the CA. */
    public Path keystore(String name) {
        Path store = dir.resolve(name + ".p12");
        Path request = dir.resolve(name + ".csr");
        Path certificate = dir.resolve(name + ".pem");
        keytool("-genkeypair", "-alias", name, "-dname", "CN=" + name, "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD);
        keytool("-certreq", "-alias", name, "-keystore", store.toString(), "-storepass", PASSWORD,
                "-file", request.toString());
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", caStore.toString(), "-storepass", PASSWORD,
                "-infile", request.toString(), "-outfile", certificate.toString(), "-validity", "2",
                "-ext", "san=ip:127.0.0.1,dns:localhost");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caCertificate.toString(),
                "-keystore", store.toString(), "-storepass", PASSWORD);
        keytool("-importcert", "-alias", name, "-file", certificate.toString(), "-keystore", store.toString(),
                "-storepass", PASSWORD);
        return store;
    }

    /** Runs the JDK's keytool; fails with its output when it fails. */
    public static void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }
}
