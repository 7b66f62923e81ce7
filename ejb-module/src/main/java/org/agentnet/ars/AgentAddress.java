package org.agentnet.ars;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import org.agentnet.common.text.Fields;

/** A communication address of an agent (draft 3.2.1): an absolute URI and the protocol spoken there. */
public record AgentAddress(String url, Protocol protocol) {

    public static final int MAX_URL = 512;
    public static final Set<String> SCHEMES =
            Set.of("http", "https", "ws", "wss", "mqtt", "mqtts", "grpc", "grpcs", "amqp", "amqps", "coap", "coaps");

    public AgentAddress {
        url = checkedUrl("address url", url);
        Fields.require(protocol != null, "address " + url + " needs a protocol");
    }

    /**
     * An absolute URI with a host, of one of {@link #SCHEMES}, without user information or a
     * fragment; written back in its normalized form.
     */
    public static String checkedUrl(String field, String value) {
        String text = Fields.printable(field, value, MAX_URL);
        try {
            URI uri = new URI(text);
            Fields.require(uri.isAbsolute() && uri.getScheme() != null
                    && SCHEMES.contains(uri.getScheme().toLowerCase(Locale.ROOT)),
                    field + " '" + text + "' must be an absolute URI with one of the schemes " + new java.util.TreeSet<>(SCHEMES));
            Fields.require(uri.getHost() != null, field + " '" + text + "' has no host");
            Fields.require(uri.getRawUserInfo() == null, field + " must not carry user information");
            Fields.require(uri.getRawFragment() == null, field + " must not have a fragment");
            return uri.normalize().toString();
        } catch (URISyntaxException e) {
            Fields.require(false, field + " '" + text + "' is not a URI: " + e.getReason());
            return null;
        }
    }
}
