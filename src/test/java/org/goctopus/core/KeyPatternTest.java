package org.goctopus.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go's path.Match semantics, on the cases of Go's own match_test.go and a few more. */
class KeyPatternTest {

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            abc            | abc                | true
            abc            | abd                | false
            *              | abc                | true
            *              | ''                 | true
            *c             | abc                | true
            a*             | a                  | true
            a*             | abc                | true
            a*             | ab/c               | false
            a*/b           | abc/b              | true
            a*/b           | a/c/b              | false
            a*b*c*d*e*/f   | axbxcxdxe/f        | true
            a*b*c*d*e*/f   | axbxcxdxexxx/f     | true
            a*b*c*d*e*/f   | axbxcxdxe/xxx/f    | false
            a*b*c*d*e*/f   | axbxcxdxexxx/fff   | false
            a*b?c*x        | abxbbxdbxebxczzx   | true
            a*b?c*x        | abxbbxdbxebxczzy   | false
            *x             | xxx                | true
            org.*          | org.sales          | true
            org.*          | org.               | true
            org.*          | org/x              | false
            org.*          | org.a/b            | false
            org.*          | other              | false
            org.*          | xorg.sales         | false
            */*            | a/b                | true
            */*            | a/b/c              | false
            """)
    void starAndQuestionMark(String pattern, String name, boolean expected) {
        assertEquals(expected, KeyPattern.matches(pattern, name));
    }

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            ab[c]          | abc    | true
            ab[b-d]        | abc    | true
            ab[e-g]        | abc    | false
            ab[^c]         | abc    | false
            ab[^b-d]       | abc    | false
            ab[^e-g]       | abc    | true
            [a-cx-z]       | y      | true
            [a-cx-z]       | m      | false
            [^a-cx-z]      | m      | true
            [abc]          | b      | true
            [abc]          | d      | false
            [a-ζ]*         | α      | true
            *[a-ζ]         | A      | false
            a[^/]b         | a/b    | false
            [^a]           | /      | true
            """)
    void characterClassesNegationAndRanges(String pattern, String name, boolean expected) {
        assertEquals(expected, KeyPattern.matches(pattern, name));
    }

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            a?b            | a☺b    | true
            a[^a]b         | a☺b    | true
            a???b          | a☺b    | false
            a[^a][^a][^a]b | a☺b    | false
            ?              | 😀     | true
            ??             | 😀     | false
            k?y            | k漢y   | true
            """)
    void aCharacterIsACodePointNotAByteOrACharUnit(String pattern, String name, boolean expected) {
        assertEquals(expected, KeyPattern.matches(pattern, name));
    }

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            a?b            | a/b    | false
            a*b            | a/b    | false
            *              | a/b    | false
            ?              | /      | false
            a/*            | a/b    | true
            a/*            | a/     | true
            a/*/c          | a/b/c  | true
            """)
    void wildcardsDoNotCrossASlash(String pattern, String name, boolean expected) {
        assertEquals(expected, KeyPattern.matches(pattern, name));
    }

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            a\\*b          | a*b    | true
            a\\*b          | ab     | false
            a\\*b          | axb    | false
            a\\?           | a?     | true
            a\\?           | ab     | false
            \\[x]          | [x]    | true
            \\[x]          | x      | false
            [\\]a]         | ]      | true
            [\\-]          | -      | true
            [x\\-]         | x      | true
            [x\\-]         | -      | true
            [x\\-]         | z      | false
            [\\-x]         | x      | true
            [\\-x]         | -      | true
            [\\-x]         | a      | false
            a\\bc          | abc    | true
            """)
    void escapes(String pattern, String name, boolean expected) {
        assertEquals(expected, KeyPattern.matches(pattern, name));
    }

    /** Go answers ErrBadPattern for these: they never match another name, only themselves verbatim. */
    @ParameterizedTest(name = "{0} ~ {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            []a]           | ]
            [-]            | -
            [x-]           | x
            [x-]           | -
            [x-]           | z
            [-x]           | x
            [-x]           | -
            [-x]           | a
            \\             | a
            [a-b-c]        | a
            [              | a
            [^             | a
            [^bc           | a
            a[             | a
            a[             | ab
            a[             | x
            a/b[           | x
            ab\\           | ab
            *[             | a
            """)
    void malformedPatternsMatchNothingElse(String pattern, String name) {
        assertFalse(KeyPattern.matches(pattern, name));
        assertTrue(KeyPattern.matches(pattern, pattern), "a key always matches itself");
    }

    @Test
    void onlyGlobSyntaxMakesAPattern() {
        assertTrue(KeyPattern.isPattern("org.*"));
        assertTrue(KeyPattern.isPattern("a?"));
        assertTrue(KeyPattern.isPattern("[ab]"));
        assertTrue(KeyPattern.isPattern("a\\b"));
        assertFalse(KeyPattern.isPattern("alice@example.com"));
        assertFalse(KeyPattern.isPattern("org.sales/team-1"));
        assertFalse(KeyPattern.isPattern("a]"));
    }

    /**
     * Go's path.Match advances a star byte by byte, so after it a chunk may start inside a
     * multi-byte character, whose bytes then read as U+FFFD each: "*??" matches the one
     * character "ᛀ" (three bytes) in Go, and so here (found by KeyPatternFuzzTest).
     */
    @Test
    void aStarAdvancesByBytesAsInGo() {
        assertTrue(KeyPattern.matches("*??", "\u16c0"));
        assertTrue(KeyPattern.matches("*[^=][^=]", "\u16c0"));
        assertFalse(KeyPattern.matches("??", "\u16c0"));
    }

    @Test
    void aPlainKeyMatchesOnlyItself() {
        assertTrue(KeyPattern.matches("alice@example.com", "alice@example.com"));
        assertFalse(KeyPattern.matches("alice@example.com", "Alice@example.com"));
        assertFalse(KeyPattern.matches("alice", "alice2"));
        assertFalse(KeyPattern.matches("", "a"));
        assertTrue(KeyPattern.matches("", ""));
    }
}
