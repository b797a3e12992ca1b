package org.goctopus.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BoundedBodyTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static InputStream of(String text) {
        return new ByteArrayInputStream(bytes(text));
    }

    @Test
    void aBodyOfItsDeclaredLengthIsReadWhole() throws IOException {
        assertArrayEquals(bytes("{\"key\":\"k\"}"), BoundedBody.read(of("{\"key\":\"k\"}"), 11, 64));
    }

    @Test
    void withoutADeclaredLengthTheBodyIsReadToItsEnd() throws IOException {
        assertArrayEquals(bytes("abc"), BoundedBody.read(of("abc"), -1, 64));
        assertArrayEquals(bytes(""), BoundedBody.read(of(""), -1, 64));
    }

    @Test
    void theLimitIsInclusive() throws IOException {
        assertArrayEquals(bytes("x".repeat(64)), BoundedBody.read(of("x".repeat(64)), -1, 64));
        assertArrayEquals(bytes("x".repeat(64)), BoundedBody.read(of("x".repeat(64)), 64, 64));
        assertNull(BoundedBody.read(of("x".repeat(65)), -1, 64));
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedUnread() throws IOException {
        InputStream in = of("x".repeat(100));
        assertNull(BoundedBody.read(in, 100, 64));
        assertEquals(100, in.available(), "nothing read");
    }

    @Test
    void aBodyLongerThanDeclaredIsReadOnUpToTheLimit() throws IOException {
        assertArrayEquals(bytes("x".repeat(40)), BoundedBody.read(of("x".repeat(40)), 10, 64));
        assertNull(BoundedBody.read(of("x".repeat(65)), 10, 64));
    }

    @Test
    void aBodyShorterThanDeclaredIsWhatCame() throws IOException {
        assertArrayEquals(bytes("abc"), BoundedBody.read(of("abc"), 10, 64));
    }
}
