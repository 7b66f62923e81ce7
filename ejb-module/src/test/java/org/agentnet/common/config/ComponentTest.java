package org.agentnet.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ComponentTest {

    @Test
    void enabledKeysUseTheLowerCaseId() {
        assertEquals("agentnet.aca.enabled", Component.ACA.enabledKey());
        assertEquals("agentnet.ars.enabled", Component.ARS.enabledKey());
        assertEquals("agentnet.agw.enabled", Component.AGW.enabledKey());
        assertEquals("agentnet.task.enabled", Component.TASK.enabledKey());
    }

    @Test
    void idIsTheLowerCaseNameWhateverTheDefaultLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR")); // where "I".toLowerCase() is a dotless i
            assertEquals("task", Component.TASK.id());
            assertEquals("agentnet.aca.enabled", Component.ACA.enabledKey());
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void everyComponentHasItsOwnKey() {
        Set<String> keys = Arrays.stream(Component.values()).map(Component::enabledKey).collect(Collectors.toSet());
        assertEquals(Component.values().length, keys.size());
    }
}
