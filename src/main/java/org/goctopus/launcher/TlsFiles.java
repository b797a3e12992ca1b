package org.goctopus.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * WS_TLS_CERT and WS_TLS_KEY, checked before Tomcat starts: a file missing, unreadable or
 * not PEM is a start-up error naming its setting, not a connector that fails to bind with a
 * stack trace. Tomcat reads the PEM files itself (no keystore to build).
 */
record TlsFiles(Path certificate, Path key) {

    /** The files, or null when neither setting is given. */
    static TlsFiles of(String certificate, String key, List<String> problems) {
        if (certificate.isEmpty() && key.isEmpty()) {
            return null;
        }
        List<String> found = new ArrayList<>();
        if (certificate.isEmpty() || key.isEmpty()) {
            found.add((certificate.isEmpty() ? "WS_TLS_CERT" : "WS_TLS_KEY") + " is not set: https needs both "
                    + "WS_TLS_CERT and WS_TLS_KEY");
        } else {
            checkCertificate(certificate, found);
            checkKey(key, found);
        }
        problems.addAll(found);
        return found.isEmpty() ? new TlsFiles(Path.of(certificate), Path.of(key)) : null;
    }

    private static void checkCertificate(String file, List<String> problems) {
        if (!readable(file, "WS_TLS_CERT", problems)) {
            return;
        }
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
                problems.add("WS_TLS_CERT=\"" + file + "\": no certificate in it");
            }
        } catch (IOException | CertificateException e) {
            problems.add("WS_TLS_CERT=\"" + file + "\": not a PEM certificate (" + e.getMessage() + ")");
        }
    }

    private static void checkKey(String file, List<String> problems) {
        if (!readable(file, "WS_TLS_KEY", problems)) {
            return;
        }
        try {
            String text = Files.readString(Path.of(file));
            if (text.contains("ENCRYPTED")) {
                problems.add("WS_TLS_KEY=\"" + file + "\": an encrypted key (give it unencrypted, readable by this user only)");
            } else if (!text.contains("-----BEGIN") || !text.contains("PRIVATE KEY-----")) {
                problems.add("WS_TLS_KEY=\"" + file + "\": not a PEM private key");
            }
        } catch (IOException e) {
            problems.add("WS_TLS_KEY=\"" + file + "\": unreadable (" + e.getMessage() + ")");
        }
    }

    private static boolean readable(String file, String setting, List<String> problems) {
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            problems.add(setting + "=\"" + file + "\": no such file");
            return false;
        }
        if (!Files.isReadable(path)) {
            problems.add(setting + "=\"" + file + "\": not readable by this user");
            return false;
        }
        return true;
    }
}
