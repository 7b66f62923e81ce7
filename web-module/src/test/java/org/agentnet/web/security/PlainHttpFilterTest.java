package org.agentnet.web.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PlainHttpFilterTest {

    @Test
    void onlyThePublicDocumentsAreServedOverPlainHttp() {
        for (String open : new String[] {"v1/node", "/v1/node", "/v1/caller", "/v1/aca/ca-certificates", "/v1/aca/crl",
                "/v1/aca/ocsp", "/v1/aca/ocsp/MEQwQjBAMD4wPDAJBgUrDgMCGgUABBQ+", "/v1/aca/ocsp/ab//cd+ef=="}) {
            assertTrue(PlainHttpFilter.servedOverPlainHttp(open), open);
        }
        for (String closed : new String[] {"/v1/ars/agents", "/v1/agw/messages", "/v1/agw/relay", "/v1/agw/access",
                "/v1/aca/applications", "/v1/aca/certificates/01ab", "/v1/admin/jobs", "/v1/ars/changes", "/v1/agw/peers",
                "/v1/node/x", "/v1/nodes", "/v1/aca/crlx", "/v1/aca/ocsp/", "/v1/aca/ocsp/../../agw/messages",
                "/v1/aca/ocsp/./x", "/v1/no-such-thing", ""}) {
            assertFalse(PlainHttpFilter.servedOverPlainHttp(closed), closed);
        }
    }
}
