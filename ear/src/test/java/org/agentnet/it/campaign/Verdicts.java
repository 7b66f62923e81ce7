package org.agentnet.it.campaign;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every answer of the campaign must be: never 5xx; a 4xx is an RFC 9457 problem of the
 * node's form, except the few refusals Liberty's HTTP channel makes before any application code
 * runs (a request head it cannot read: empty 400, documented); a 2xx on an endpoint that changes
 * state is a finding unless the case expects it; and nothing internal in any answer (stack frames,
 * Java class names, SQL, Liberty message codes, HTML error pages, internal headers), unless it is
 * the caller's own input echoed back.
 */
final class Verdicts {

    static final String PROBLEM_TYPE_PREFIX = "https://agentnet.org/problems/";

    private static final List<Pattern> LEAKS = List.of(
            Pattern.compile("\\bat [\\w$]+(?:\\.[\\w$<>]+)+\\((?:[\\w$]+\\.java:\\d+|Unknown Source|Native Method)\\)"),
            Pattern.compile("\\b(?:java|javax|jakarta|org|com|sun|jdk|io|net)\\.(?:[\\w$]+\\.)+[\\w$]*(?:Exception|Error|Throwable)\\b"),
            Pattern.compile("\\b\\w*Exception\\b"),
            Pattern.compile("Caused by:"),
            Pattern.compile("SQLState|SQLSTATE|SQLException|syntax error at or near|ORA-\\d{5}|ERROR: relation|PSQLException"),
            Pattern.compile("\\b(?:org\\.hibernate|org\\.jboss|com\\.ibm|org\\.eclipse\\.yasson|org\\.glassfish|org\\.apache\\.derby|"
                    + "org\\.apache\\.cxf|org\\.agentnet|org\\.bouncycastle|com\\.nimbusds)\\b"),
            Pattern.compile("\\b(?:CWW[A-Z]{2}|SRVE|SESN|CWPKI|CWOAU|CWMOT)\\d{4}[EWIA]?\\b"),
            Pattern.compile("(?i)<html|<!DOCTYPE|<body"));

    /** The families that test the request head itself; Liberty's channel may refuse them with an empty 400 before the application. */
    static boolean channelMayRefuse(String family) {
        return family.startsWith("header/") || family.equals("method") || family.startsWith("path/") || family.startsWith("query/");
    }

    private Verdicts() {
    }

    /** The classes the report counts an answer in. */
    static String outcome(RawHttp.Response response) {
        if (response.status() == 0) {
            return "no-answer";
        }
        if (response.status() >= 400 && response.status() < 500 && isChannelRefusal(response)) {
            return "4xx-channel";
        }
        if (isContainerUriRefusal(response)) {
            return "4xx-uri";
        }
        return response.status() / 100 + "xx";
    }

    /**
     * Liberty's web container refusing a request target it cannot decode (an encoded NUL, CR or LF,
     * a malformed escape, a path parameter): it answers 400 itself, before it has chosen a web
     * application, so no error page or filter of the node can reach it. Its body is HTML or, for a
     * JSON request, {"error_message": ...}, naming the message CWWWC0005I and echoing the target
     * entity-escaped; no class, stack or version. Documented in docs/platform.md.
     */
    static boolean isContainerUriRefusal(RawHttp.Response response) {
        return response.status() == 400 && response.bodyText().contains("CWWWC0005I: The request URI has invalid or improperly encoded characters");
    }

    /** An answer of Liberty's HTTP channel or web container itself, before the application: an empty body. */
    static boolean isChannelRefusal(RawHttp.Response response) {
        return response.body().length == 0;
    }

    /**
     * The one 5xx the node cannot prevent: a Content-Type whose charset is an unterminated quote
     * ({@code charset="}) on a request that the web.xml security constraint refuses. Liberty's web
     * container fails (StringIndexOutOfBoundsException in SRTServletRequest.getEncodingFromContentType)
     * while it sends the 401, before any filter or error page of the application; the body is the
     * fixed sentence of webContainer displaycustomizedexceptiontext. Documented in docs/platform.md.
     */
    static boolean isKnownLibertyDefect(RawHttp.Request request, RawHttp.Response response) {
        boolean unterminatedCharset = request.headers().stream()
                .anyMatch(h -> h[0].equalsIgnoreCase("Content-Type") && h[1].replace(" ", "").endsWith("charset=\""));
        return response.status() == 500 && unterminatedCharset && response.bodyText().equals("The request cannot be processed.")
                && new String(request.target(), StandardCharsets.ISO_8859_1).startsWith("/api/v1/admin/");
    }

    static List<String> violations(Corpus.Case c, RawHttp.Request request, RawHttp.Response response) {
        List<String> found = new ArrayList<>();
        int status = response.status();
        if (status == 0) {
            found.add("no answer: " + response.failure());
            return found;
        }
        if (status >= 500 && isKnownLibertyDefect(request, response)) {
            return found;
        } else if (status >= 500) {
            found.add("HTTP " + status + ": " + excerpt(response.bodyText()));
        } else if (status >= 400) {
            if (isContainerUriRefusal(response)) {
                if (!c.family().startsWith("path/") && !c.family().startsWith("query/")) {
                    found.add("the web container refused the request target of a mutation that is not in the target");
                }
                return found; // its body quotes its message code: the known exception, not a leak
            } else if (isChannelRefusal(response)) {
                if (!channelMayRefuse(c.family())) {
                    found.add("HTTP " + status + " without a problem body (channel refusal) for a body mutation");
                }
            } else {
                found.addAll(problemViolations(response));
            }
        } else if (status >= 300) {
            if (request.tls()) {
                found.add("HTTP " + status + " over HTTPS: " + response.header("Location"));
            }
        } else if (c.writes() && !c.mayAccept() && !refusedBatch(response)) {
            found.add("HTTP " + status + ": a mutated request to an endpoint that changes state was accepted: " + excerpt(response.bodyText()));
        }
        if (c.expect() != null) {
            String unexpected = c.expect().apply(response);
            if (unexpected != null) {
                found.add(unexpected);
            }
        }
        found.addAll(leaks(request, response));
        return found;
    }

    /**
     * A batch call ({@code POST /api/v1/agw/relay/batch}, {@code .../receipts/batch}) answers 200 with
     * one result per item, {@code {"results": [{messageId, status, type, detail}, ...]}}: it changed
     * nothing when every item was refused with a 4xx that names a problem type and says why.
     */
    static boolean refusedBatch(RawHttp.Response response) {
        if (response.status() != 200) {
            return false;
        }
        try (var reader = Json.createReader(new ByteArrayInputStream(response.body()))) {
            JsonValue results = reader.readObject().get("results");
            if (!(results instanceof jakarta.json.JsonArray items) || items.isEmpty()) {
                return false;
            }
            for (JsonValue item : items) {
                JsonObject result = item.asJsonObject();
                int status = result.getInt("status", 0);
                if (status < 400 || status >= 500 || !result.getString("type", "").startsWith(PROBLEM_TYPE_PREFIX)
                        || result.getString("detail", "").isBlank()) {
                    return false;
                }
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    static List<String> problemViolations(RawHttp.Response response) {
        List<String> found = new ArrayList<>();
        String type = response.header("Content-Type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/problem+json")) {
            found.add("HTTP " + response.status() + " with Content-Type " + type + ", not application/problem+json: "
                    + excerpt(response.bodyText()));
            return found;
        }
        JsonObject problem;
        try (var reader = Json.createReader(new ByteArrayInputStream(response.body()))) {
            problem = reader.readObject();
        } catch (RuntimeException e) {
            found.add("HTTP " + response.status() + ": the problem body is not a JSON object: " + excerpt(response.bodyText()));
            return found;
        }
        if (!(problem.get("type") instanceof JsonString t) || !t.getString().startsWith(PROBLEM_TYPE_PREFIX)) {
            found.add("problem without a node type: " + problem);
        }
        if (!(problem.get("title") instanceof JsonString title) || title.getString().isBlank()) {
            found.add("problem without a title: " + problem);
        }
        if (!(problem.get("status") instanceof JsonNumber s) || s.intValue() != response.status()) {
            found.add("problem status is not the HTTP status " + response.status() + ": " + problem);
        }
        if (!(problem.get("detail") instanceof JsonString detail) || detail.getString().isBlank()) {
            found.add("problem without a detail: " + problem);
        }
        JsonValue instance = problem.get("instance");
        if (instance != null && instance != JsonValue.NULL && !(instance instanceof JsonString)) {
            found.add("problem instance is not a string: " + problem);
        }
        return found;
    }

    /** Internal details in the answer's headers or body that are not the caller's own input echoed back. */
    static List<String> leaks(RawHttp.Request request, RawHttp.Response response) {
        List<String> found = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, List<String>> header : response.headers().entrySet()) {
            if (header.getKey().startsWith("$")) {
                found.add("internal header " + header.getKey() + " in the answer");
            }
            text.append(header.getKey()).append(": ").append(String.join(", ", header.getValue())).append('\n');
        }
        if (!isBinary(response)) {
            text.append(response.bodyText());
        }
        String sent = null;
        for (Pattern pattern : LEAKS) {
            Matcher matcher = pattern.matcher(text);
            while (matcher.find()) {
                String match = matcher.group();
                if (sent == null) {
                    sent = sentText(request); // only when something looks like a leak: it may be the caller's own input
                }
                if (!sent.contains(match) && !sent.toLowerCase(java.util.Locale.ROOT).contains(match.toLowerCase(java.util.Locale.ROOT))) {
                    found.add("leak '" + match + "' in: " + excerpt(around(text, matcher.start())));
                    break;
                }
            }
        }
        return found;
    }

    private static boolean isBinary(RawHttp.Response response) {
        String type = response.header("Content-Type");
        return type != null && (type.startsWith("application/ocsp-response") || type.startsWith("application/pkix-crl"));
    }

    /** Everything the request said, in the forms the node may echo it (raw, UTF-8, URL-decoded, JSON-unescaped). */
    private static String sentText(RawHttp.Request request) {
        StringBuilder sent = new StringBuilder();
        String target = new String(request.target(), StandardCharsets.UTF_8);
        sent.append(target).append('\n').append(new String(request.target(), StandardCharsets.ISO_8859_1)).append('\n');
        try {
            sent.append(URLDecoder.decode(target.replace("+", "%2B"), StandardCharsets.UTF_8)).append('\n');
        } catch (RuntimeException notEncoded) {
            // only the raw forms
        }
        for (String[] header : request.headers()) {
            sent.append(header[0]).append(": ").append(header[1]).append('\n');
        }
        if (request.body() != null && request.body().length < 2_000_000) {
            String body = new String(request.body(), StandardCharsets.UTF_8);
            sent.append(body).append('\n').append(body.replace("\\\"", "\"").replace("\\\\", "\\")).append('\n');
            if (body.length() < 65_536) {
                sent.append(jwsPayloads(body));
            }
        }
        return sent.toString();
    }

    /** The decoded payloads of compact JWS in the body: a node may quote what the caller signed. */
    private static String jwsPayloads(String body) {
        StringBuilder payloads = new StringBuilder();
        Matcher jws = Pattern.compile("[A-Za-z0-9_-]{8,}\\.([A-Za-z0-9_-]+)\\.[A-Za-z0-9_-]*").matcher(body);
        while (jws.find()) {
            try {
                payloads.append(new String(java.util.Base64.getUrlDecoder().decode(jws.group(1)), StandardCharsets.UTF_8)).append('\n');
            } catch (IllegalArgumentException notBase64) {
                // not a payload
            }
        }
        return payloads.toString();
    }

    private static String around(CharSequence text, int at) {
        return text.subSequence(Math.max(0, at - 80), Math.min(text.length(), at + 160)).toString();
    }

    static String excerpt(String text) {
        String flat = text.replaceAll("[\\r\\n\\t]+", " ");
        return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
    }
}
