package org.agentnet.web.aca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.agentnet.aca.CertificateProfile;
import org.junit.jupiter.api.Test;

/** Which applications the lean path takes itself; everything else goes on to the JAX-RS resource. */
class ApplicationFilterTest {

    private static final String GOOD = "\"csr\":\"-----BEGIN CERTIFICATE REQUEST-----\\nMIIB\\n-----END CERTIFICATE REQUEST-----\\n\","
            + "\"agentName\":\"a1\",\"organization\":\"Acme Corp\",\"developer\":\"dev@example.org\",\"functionType\":\"planner\","
            + "\"permissionScope\":[\"discovery\"]";

    private static ApplicationResource.ApplicationRequest plain(String json) {
        return ApplicationFilter.plainApplication(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void takesAPlainApplicationWithAToken() {
        ApplicationResource.ApplicationRequest request = plain("{" + GOOD + ",\"skills\":[\"flights\",\"hotels\"],"
                + "\"profile\":\"GATEWAY\",\"enrollmentToken\":\"t0k3n\"}");
        assertNotNull(request);
        assertEquals(CertificateProfile.GATEWAY, request.profile());
        assertEquals(List.of("flights", "hotels"), request.skills());
        assertEquals(List.of("discovery"), request.permissionScope());
        assertEquals("t0k3n", request.enrollmentToken());
        assertEquals("a1", request.agentName());
        assertNotNull(plain("{" + GOOD + ",\"enrollmentToken\":\"t\"}"));
        assertNull(plain("{" + GOOD + ",\"enrollmentToken\":\"t\"}").skills(), "absent skills bind to null, as in JSON-B");
    }

    @Test
    void leavesEverythingElseToTheResource() {
        assertNull(plain("{" + GOOD + "}"), "no token: the application waits for an operator");
        assertNull(plain("{" + GOOD + ",\"enrollmentToken\":\" \"}"));
        assertNull(plain("{" + GOOD + ",\"enrollmentToken\":\"" + "t".repeat(129) + "\"}"));
        assertNull(plain("{" + GOOD + ",\"enrollmentToken\":\"t\",\"extra\":1}"), "unknown field");
        assertNull(plain("{" + GOOD + ",\"enrollmentToken\":\"t\",\"agentName\":\"a2\"}"), "a field twice");
        assertNull(plain("{" + GOOD + ",\"enrollmentToken\":\"t\",\"skills\":null}"));
        assertNull(plain("{" + GOOD + ",\"enrollmentToken\":\"t\",\"skills\":[\"\"]}"));
        assertNull(plain("{" + GOOD + ",\"enrollmentToken\":\"t\",\"profile\":\"agent\"}"));
        assertNull(plain("{" + GOOD + ",\"enrollmentToken\":123}"));
        assertNull(plain("{" + GOOD.replace("\"a1\"", "\"" + "a".repeat(65) + "\"") + ",\"enrollmentToken\":\"t\"}"));
        assertNull(plain("{" + GOOD.replace("\"a1\"", "\"\\u0000\"") + ",\"enrollmentToken\":\"t\"}"), "blank to @NotBlank (trim)");
        assertNull(plain("{" + GOOD.replace("[\"discovery\"]", "[]") + ",\"enrollmentToken\":\"t\"}"));
        assertNull(plain("{" + GOOD + ",\"enrollmentToken\":\"t\"} {}"), "trailing content");
        assertNull(plain("{\"csr\": "));
        assertNull(plain("[]"));
        assertNull(ApplicationFilter.plainApplication(new byte[] {'{', '"', (byte) 0xC3, '"', '}'}), "not UTF-8");
    }
}
