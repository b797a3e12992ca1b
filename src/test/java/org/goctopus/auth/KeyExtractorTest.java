package org.goctopus.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonStructure;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyExtractorTest {

    private static final KeyExtractor DEFAULTS =
            new KeyExtractor(List.of("/user/email", "/user/organization_name"));

    private static JsonStructure json(String text) {
        return Json.createReader(new StringReader(text)).read();
    }

    private static List<String> keys(KeyExtractor extractor, String response) {
        return extractor.keys(json(response));
    }

    @Test
    void defaultPointersTakeEmailAndOrganizationInOrder() {
        assertEquals(List.of("a@x", "acme"),
                keys(DEFAULTS, "{\"user\":{\"organization_name\":\"acme\",\"email\":\"a@x\",\"name\":\"Al\"}}"));
    }

    @Test
    void defaultPointersWithOnlyEmailGiveOneKey() {
        assertEquals(List.of("a@x"), keys(DEFAULTS, "{\"user\":{\"email\":\"a@x\"}}"));
    }

    @Test
    void missingPathsGiveNoKey() {
        assertEquals(List.of(), keys(DEFAULTS, "{}"));
        assertEquals(List.of(), keys(DEFAULTS, "{\"user\":{}}"));
        assertEquals(List.of(), keys(DEFAULTS, "{\"account\":{\"email\":\"a@x\"}}"));
        assertEquals(List.of(), keys(DEFAULTS, "[]"));
    }

    @Test
    void integerBecomesItsDecimalText() {
        KeyExtractor ids = new KeyExtractor(List.of("/id"));
        assertEquals(List.of("42"), keys(ids, "{\"id\":42}"));
        assertEquals(List.of("0"), keys(ids, "{\"id\":0}"));
        assertEquals(List.of("-7"), keys(ids, "{\"id\":-7}"));
        assertEquals(List.of("12345678901234567890"), keys(ids, "{\"id\":12345678901234567890}"));
    }

    @Test
    void numberWithExponentOrFractionBecomesPlainDecimalText() {
        KeyExtractor ids = new KeyExtractor(List.of("/id"));
        assertEquals(List.of("1.5"), keys(ids, "{\"id\":1.5}"));
        assertEquals(List.of("1000"), keys(ids, "{\"id\":1e3}"));
    }

    /**
     * A number whose plain text would be enormous (an exponent of billions: found by
     * AuthAnswerFuzzTest, which hung on it) keeps its JSON text instead of expanding.
     */
    @Test
    void aNumberWithAHugeExponentKeepsItsJsonText() {
        KeyExtractor ids = new KeyExtractor(List.of("/id"));
        assertEquals(List.of("7.3E+2046227878"), keys(ids, "{\"id\":7.3e2046227878}"));
        assertEquals(List.of("1E-999999999"), keys(ids, "{\"id\":1e-999999999}"));
    }

    @Test
    void arrayOfStringsGivesSeveralKeysInOrder() {
        KeyExtractor groups = new KeyExtractor(List.of("/groups"));
        assertEquals(List.of("g1", "g2", "g3"), keys(groups, "{\"groups\":[\"g1\",\"g2\",\"g3\"]}"));
    }

    @Test
    void arrayMixesStringsAndNumbersAndSkipsOtherTypes() {
        KeyExtractor groups = new KeyExtractor(List.of("/groups"));
        assertEquals(List.of("g1", "5"),
                keys(groups, "{\"groups\":[\"g1\",5,null,true,{\"a\":\"b\"},[\"nested\"]]}"));
    }

    @Test
    void emptyStringsAreSkipped() {
        assertEquals(List.of("acme"), keys(DEFAULTS, "{\"user\":{\"email\":\"\",\"organization_name\":\"acme\"}}"));
        assertEquals(List.of(), keys(DEFAULTS, "{\"user\":{\"email\":\"\",\"organization_name\":\"\"}}"));
        KeyExtractor groups = new KeyExtractor(List.of("/groups"));
        assertEquals(List.of("g1"), keys(groups, "{\"groups\":[\"\",\"g1\",\"\"]}"));
        assertEquals(List.of(), keys(groups, "{\"groups\":[]}"));
    }

    @Test
    void nonStringValuesGiveNoKey() {
        assertEquals(List.of(), keys(DEFAULTS,
                "{\"user\":{\"email\":null,\"organization_name\":true}}"));
        assertEquals(List.of(), keys(DEFAULTS, "{\"user\":{\"email\":{\"a\":\"b\"}}}"));
    }

    @Test
    void pathThroughANonContainerGivesNoKey() {
        assertEquals(List.of(), keys(DEFAULTS, "{\"user\":\"a@x\"}"));
        assertEquals(List.of(), keys(DEFAULTS, "{\"user\":42}"));
        assertEquals(List.of(), keys(DEFAULTS, "{\"user\":null}"));
        assertEquals(List.of(), keys(DEFAULTS, "{\"user\":[\"a@x\"]}"));
    }

    @Test
    void pointerIntoAnArrayElementWorks() {
        KeyExtractor first = new KeyExtractor(List.of("/orgs/0/name", "/orgs/5/name"));
        assertEquals(List.of("acme"), keys(first, "{\"orgs\":[{\"name\":\"acme\"}]}"));
    }

    @Test
    void duplicateKeysAppearOnce() {
        KeyExtractor both = new KeyExtractor(List.of("/a", "/b"));
        assertEquals(List.of("x", "y"), keys(both, "{\"a\":[\"x\",\"y\",\"x\"],\"b\":\"y\"}"));
    }

    @Test
    void escapedPointerNamesTheMemberWithSlashOrTilde() {
        KeyExtractor escaped = new KeyExtractor(List.of("/a~1b", "/c~0d"));
        assertEquals(List.of("1", "2"), keys(escaped, "{\"a/b\":\"1\",\"c~d\":\"2\"}"));
    }
}
