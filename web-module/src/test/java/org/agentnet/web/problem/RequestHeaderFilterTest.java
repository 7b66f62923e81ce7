package org.agentnet.web.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Request heads the JAX-RS runtime would answer with a 500 (found by the bad-input campaign). */
class RequestHeaderFilterTest {

    @Test
    void acceptHeadersThatAreMediaTypeListsPass() {
        RequestHeaderFilter.checkAccept("application/json");
        RequestHeaderFilter.checkAccept("application/problem+json, application/json;q=0.9, */*;q=0.1");
        RequestHeaderFilter.checkAccept("text/*, ");
    }

    @Test
    void acceptHeadersThatAreNotAreBadRequests() {
        for (String accept : new String[] {";;;", "garbage", "*/*;q=abc", "application/json;q=2", "application/json;q=-1", "a".repeat(100)}) {
            assertRefused(ProblemType.BAD_REQUEST, () -> RequestHeaderFilter.checkAccept(accept));
        }
    }

    @Test
    void contentTypesThatAreNoMediaTypeOrOfAnUnknownCharsetAreUnsupported() {
        RequestHeaderFilter.checkContentType("application/json; charset=UTF-8");
        RequestHeaderFilter.checkContentType("application/jose");
        for (String type : new String[] {"garbage", "application/json; charset=utf-9", "application/json; charset=\""}) {
            assertRefused(ProblemType.UNSUPPORTED_MEDIA_TYPE, () -> RequestHeaderFilter.checkContentType(type), type);
        }
    }

    @Test
    void declaredLengthsBeyondTheLimitOrThatAreNoLengths() {
        assertEquals(-1, RequestBodyLimitFilter.declaredLength(null, 100));
        assertEquals(100, RequestBodyLimitFilter.declaredLength("100", 100));
        assertEquals(7, RequestBodyLimitFilter.declaredLength(" 007 ", 100));
        assertRefused(ProblemType.PAYLOAD_TOO_LARGE, () -> RequestBodyLimitFilter.declaredLength("101", 100));
        // beyond an int and beyond a long: the runtime's own parsing failed with a NumberFormatException (500)
        assertRefused(ProblemType.PAYLOAD_TOO_LARGE, () -> RequestBodyLimitFilter.declaredLength("2147483648", 100));
        assertRefused(ProblemType.PAYLOAD_TOO_LARGE, () -> RequestBodyLimitFilter.declaredLength("99999999999999999999", 100));
        for (String notALength : new String[] {"-1", "abc", "1e3", "", "0x10"}) {
            assertRefused(ProblemType.BAD_REQUEST, () -> RequestBodyLimitFilter.declaredLength(notALength, 100));
        }
    }

    @Test
    void conditionalDatesAreHttpDatesOrIgnored() {
        assertTrue(RequestHeaderFilter.isHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"));
        assertTrue(RequestHeaderFilter.isHttpDate("Sunday, 06-Nov-94 08:49:37 GMT"));
        assertTrue(RequestHeaderFilter.isHttpDate("Sun Nov  6 08:49:37 1994"));
        assertFalse(RequestHeaderFilter.isHttpDate("yesterday"));
        assertFalse(RequestHeaderFilter.isHttpDate("' OR 1=1 --"));
    }

    private static void assertRefused(ProblemType type, Executable check) {
        assertRefused(type, check, "");
    }

    private static void assertRefused(ProblemType type, Executable check, String what) {
        AgentnetException refused = assertThrows(AgentnetException.class, check, what);
        assertEquals(type, refused.type(), refused.detail());
    }
}
