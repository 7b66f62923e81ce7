package org.agentnet.common.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProblemTypeTest {

    @ParameterizedTest
    @CsvSource({
        "400, BAD_REQUEST",
        "401, UNAUTHORIZED",
        "403, FORBIDDEN",
        "404, NOT_FOUND",
        "405, METHOD_NOT_ALLOWED",
        "406, NOT_ACCEPTABLE",
        "409, CONFLICT",
        "413, PAYLOAD_TOO_LARGE",
        "415, UNSUPPORTED_MEDIA_TYPE",
        "429, TOO_MANY_REQUESTS",
        "500, INTERNAL_ERROR",
        "503, SERVICE_UNAVAILABLE",
    })
    void forStatusPicksTheGenericType(int status, ProblemType expected) {
        assertSame(expected, ProblemType.forStatus(status));
    }

    @Test
    void forStatusNeverPicksAMoreSpecificTypeOfTheSameStatus() {
        // MALFORMED_BODY and VALIDATION_FAILED share 400, COMPONENT_DISABLED shares 404
        assertSame(ProblemType.BAD_REQUEST, ProblemType.forStatus(400));
        assertSame(ProblemType.NOT_FOUND, ProblemType.forStatus(404));
    }

    @ParameterizedTest
    @ValueSource(ints = {402, 408, 410, 411, 418, 422, 451, 499})
    void unknownClientErrorsAreBadRequest(int status) {
        assertSame(ProblemType.BAD_REQUEST, ProblemType.forStatus(status));
    }

    @ParameterizedTest
    @ValueSource(ints = {501, 502, 504, 599})
    void unknownServerErrorsAreInternalErrors(int status) {
        assertSame(ProblemType.INTERNAL_ERROR, ProblemType.forStatus(status));
    }

    @ParameterizedTest
    @EnumSource(ProblemType.class)
    void uriIsTheBaseFollowedByTheSlug(ProblemType type) {
        assertEquals("https://agentnet.org/problems/" + type.slug(), type.uri());
        URI uri = URI.create(type.uri());
        assertTrue(uri.isAbsolute());
        assertEquals("https", uri.getScheme());
    }

    @Test
    void knownUris() {
        assertEquals("https://agentnet.org/problems/not-found", ProblemType.NOT_FOUND.uri());
        assertEquals("https://agentnet.org/problems/malformed-body", ProblemType.MALFORMED_BODY.uri());
        assertEquals("https://agentnet.org/problems/validation-failed", ProblemType.VALIDATION_FAILED.uri());
        assertEquals("https://agentnet.org/problems/payload-too-large", ProblemType.PAYLOAD_TOO_LARGE.uri());
    }

    @Test
    void slugsAreUnique() {
        Set<String> slugs = Arrays.stream(ProblemType.values()).map(ProblemType::slug).collect(Collectors.toSet());
        assertEquals(ProblemType.values().length, slugs.size());
    }

    @ParameterizedTest
    @EnumSource(ProblemType.class)
    void everyTypeIsAnErrorStatusWithATitle(ProblemType type) {
        assertTrue(type.status() >= 400 && type.status() < 600, type + " " + type.status());
        assertNotEquals("", type.title().trim());
    }
}
