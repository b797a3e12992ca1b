package org.goctopus.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A self-signed certificate for 127.0.0.1 made by openssl for one test, as PEM files. */
public record TestCertificate(Path certificate, Path key) {

    public static TestCertificate make() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("tls");
        TestCertificate made = new TestCertificate(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", made.key.toString(), "-out", made.certificate.toString(), "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1")
                .redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes());
        if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
            throw new IllegalStateException("openssl failed: " + output);
        }
        return made;
    }

    /** A context that trusts exactly this certificate. */
    public SSLContext trustingIt() throws IOException, GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trusted.setCertificateEntry("test", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /** The base64 lines of the private key: none may ever appear in a log. */
    public List<String> keyLines() throws IOException {
        return Files.readAllLines(key).stream().filter(l -> !l.startsWith("-----") && l.length() > 20).toList();
    }
}
