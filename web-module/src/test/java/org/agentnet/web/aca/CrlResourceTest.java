package org.agentnet.web.aca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DER or PEM: the format parameter first, then the client's preference among the two types. */
class CrlResourceTest {

    private static List<MediaType> accept(String... types) {
        return java.util.Arrays.stream(types).map(MediaType::valueOf).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"pem", "PEM", " Pem "})
    void formatPemWins(String format) {
        assertTrue(CrlResource.wantsPem(format, accept(CrlResource.PKIX_CRL)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"der", "DER"})
    void formatDerWins(String format) {
        assertFalse(CrlResource.wantsPem(format, accept(CrlResource.PEM_FILE)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "base64", "pkcs7", "x509"})
    void anyOtherFormatIsRefused(String format) {
        AgentnetException refused = assertThrows(AgentnetException.class, () -> CrlResource.wantsPem(format, accept("*/*")));
        assertEquals(ProblemType.VALIDATION_FAILED, refused.type());
    }

    @Test
    void derUnlessPemIsPreferred() {
        assertFalse(CrlResource.wantsPem(null, accept()));
        assertFalse(CrlResource.wantsPem(null, null));
        assertFalse(CrlResource.wantsPem(null, accept("*/*")));
        assertFalse(CrlResource.wantsPem(null, accept("application/*")));
        assertFalse(CrlResource.wantsPem(null, accept(CrlResource.PKIX_CRL)));
        assertFalse(CrlResource.wantsPem(null, accept(CrlResource.PKIX_CRL, CrlResource.PEM_FILE)));
        assertTrue(CrlResource.wantsPem(null, accept(CrlResource.PEM_FILE)));
        assertTrue(CrlResource.wantsPem(null, accept(CrlResource.PEM_FILE, "*/*")));
        assertTrue(CrlResource.wantsPem(null, accept("text/html", CrlResource.PEM_FILE, CrlResource.PKIX_CRL)));
    }
}
