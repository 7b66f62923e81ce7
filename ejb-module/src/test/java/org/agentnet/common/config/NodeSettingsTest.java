package org.agentnet.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class NodeSettingsTest {

    private static final String KEY = "agentnet.domain.name";

    @ParameterizedTest
    @ValueSource(strings = {
        "example.org",
        "localhost",
        "a",
        "a.b.c.d",
        "node-1.agents.example.org",
        "xn--bcher-kva.example",
        "0.example",
        "123",
    })
    void acceptsDnsNames(String name) {
        assertEquals(name, NodeSettings.requireDnsName(KEY, name));
    }

    @ParameterizedTest
    @CsvSource({
        "Example.ORG, example.org",
        "'  agents.example.org  ', agents.example.org",
        "'\tNODE-7.Example.Org\n', node-7.example.org",
    })
    void normalisesToTrimmedLowerCase(String given, String expected) {
        assertEquals(expected, NodeSettings.requireDnsName(KEY, given));
    }

    @Test
    void lowerCasingIgnoresTheDefaultLocale() {
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr-TR"));
            assertEquals("inside.example", NodeSettings.requireDnsName(KEY, "INSIDE.EXAMPLE"));
        } finally {
            java.util.Locale.setDefault(before);
        }
    }

    @Test
    void labelsOfSixtyThreeCharactersAreAllowed() {
        String label = "a".repeat(63);
        assertEquals(label + ".org", NodeSettings.requireDnsName(KEY, label + ".org"));
    }

    @Test
    void namesUpTo253CharactersAreAllowed() {
        String name = String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(61));
        assertEquals(253, name.length());
        assertEquals(name, NodeSettings.requireDnsName(KEY, name));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "   ",
        "-example.org",
        "example-.org",
        "example..org",
        ".example.org",
        "example.org.",
        "exa mple.org",
        "under_score.org",
        "example.org/path",
        "https://example.org",
        "bücher.example",
        "*.example.org",
        "example.org:8080",
    })
    void rejectsWhatIsNotADnsName(String name) {
        IllegalStateException refused =
                assertThrows(IllegalStateException.class, () -> NodeSettings.requireDnsName(KEY, name));
        assertTrue(refused.getMessage().startsWith(KEY + " must be a DNS name"), refused.getMessage());
        assertTrue(refused.getMessage().contains("'" + name + "'"), "quotes the value as given: " + refused.getMessage());
    }

    @Test
    void rejectsALabelOfSixtyFourCharacters() {
        String name = "a".repeat(64) + ".org";
        assertThrows(IllegalStateException.class, () -> NodeSettings.requireDnsName(KEY, name));
    }

    @Test
    void rejectsNamesLongerThan253Characters() {
        String name = String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(62));
        assertEquals(254, name.length());
        assertThrows(IllegalStateException.class, () -> NodeSettings.requireDnsName(KEY, name));
    }
}
