package org.agentnet.it.campaign;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The families of bad values the campaign puts into bodies, fields, path segments, query
 * parameters and headers. Every value is bytes as they go on the wire, so that a value may be
 * invalid JSON or invalid UTF-8 on purpose.
 */
final class Mutations {

    /** One bad value: its family (the report groups by it), a short label, and the bytes (null: leave the field out). */
    record Value(String family, String label, byte[] bytes) {

        boolean missing() {
            return bytes == null;
        }
    }

    static final String NULL = "null";
    static final String WRONG_TYPE = "wrong-type";
    static final String HUGE_NUMBER = "huge-number";
    static final String LONG_STRING = "long-string";
    static final String INJECTION = "injection";
    static final String INVALID_UTF8 = "invalid-utf8";
    static final String ESCAPES = "json-escapes";
    static final String DEEP_NESTING = "deep-nesting";

    /** Nesting depth of the deep-nesting values (the brief: 10,000 levels). */
    static final int DEPTH = 10_000;

    /** Text that attacks interpreters behind a field: SQL, JPQL, LDAP, paths, markup, CRLF, NUL, format strings, Unicode tricks. */
    static final List<String> INJECTIONS = List.of(
            "' OR '1'='1",
            "' OR 1=1 --",
            "\"; DROP TABLE agent; --",
            "1; SELECT * FROM issued_certificate --",
            "' UNION SELECT NULL, version() --",
            "x' OR a.id IS NOT NULL OR 'x'='x",
            "SELECT a FROM AgentRecord a WHERE 1=1",
            "*)(uid=*))(|(uid=*",
            "admin)(|(password=*))",
            "*",
            "../../../../etc/passwd",
            "..\\..\\..\\windows\\win.ini",
            "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
            "/etc/passwd%00.json",
            "file:///etc/passwd",
            "<script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>",
            "javascript:alert(1)",
            "line1\r\nX-Injected: yes",
            "a\r\n\r\n<html>",
            "nul\u0000byte",
            "tab\tand\u000bvertical",
            "%s%s%s%s%n",
            "%x%x%x%x",
            "{0}{1}{2}",
            "${jndi:ldap://127.0.0.1:1/x}",
            "${7*7}",
            "#{7*7}",
            "{{7*7}}",
            "<%= 7*7 %>",
            "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>",
            "{\"$ne\": null}",
            "\u202Egnp.exe",
            "\uFEFFbom",
            "\uFF41\uFF44\uFF4D\uFF49\uFF4E",
            "\u0430dmin",
            "zero\u200Bwidth",
            "e\u0301\u0301\u0301\u0301",
            "\uD83D\uDE00\uD83E\uDD16",
            "lone\uD800surrogate",
            "\uFB01\u0130\u00DF",
            "\u0000");

    private Mutations() {
    }

    // ---- values of a JSON field ------------------------------------------------------------------

    /** Every value the campaign knows for a JSON field. */
    static List<Value> jsonValues() {
        List<Value> values = new ArrayList<>();
        values.add(new Value(NULL, "null", ascii("null")));
        values.add(new Value(NULL, "missing", null));
        values.add(new Value(NULL, "empty string", ascii("\"\"")));
        values.add(new Value(NULL, "blank string", ascii("\"   \"")));
        for (String wrong : List.of("0", "true", "[]", "{}", "[\"x\"]", "{\"a\":\"b\"}", "\"text\"", "[[1,2],[3]]")) {
            values.add(new Value(WRONG_TYPE, wrong, ascii(wrong)));
        }
        for (String number : List.of("1e400", "-1e400", "9223372036854775808", "-9223372036854775809", "2147483648", "-1", "0",
                "1e-400", "123456789012345678901234567890123456789", "1.5", "-0", "4294967296")) {
            values.add(new Value(HUGE_NUMBER, number, ascii(number)));
        }
        values.add(new Value(LONG_STRING, "10k chars", json("a".repeat(10_000))));
        values.add(new Value(LONG_STRING, "300k chars", json("b".repeat(300_000))));
        values.add(new Value(LONG_STRING, "5k e-acute", json("\u00e9".repeat(5_000))));
        values.add(new Value(LONG_STRING, "2k emoji", json("\uD83D\uDE00".repeat(2_000))));
        for (String injection : INJECTIONS) {
            values.add(new Value(INJECTION, label(injection), json(injection)));
        }
        values.add(new Value(INVALID_UTF8, "C3 28", quoted(new byte[] {(byte) 0xC3, 0x28})));
        values.add(new Value(INVALID_UTF8, "FF FE", quoted(new byte[] {(byte) 0xFF, (byte) 0xFE})));
        values.add(new Value(INVALID_UTF8, "overlong slash C0 AF", quoted(new byte[] {(byte) 0xC0, (byte) 0xAF})));
        values.add(new Value(INVALID_UTF8, "surrogate ED A0 80", quoted(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})));
        values.add(new Value(INVALID_UTF8, "truncated E2 82", quoted(new byte[] {'a', (byte) 0xE2, (byte) 0x82})));
        values.add(new Value(ESCAPES, "lone surrogate escape", ascii("\"\\ud800\"")));
        values.add(new Value(ESCAPES, "reversed surrogates", ascii("\"\\udfff\\ud800\"")));
        values.add(new Value(ESCAPES, "NUL escape", ascii("\"a\\u0000b\"")));
        values.add(new Value(ESCAPES, "bad escape", ascii("\"\\x41\\q\"")));
        values.add(new Value(ESCAPES, "short unicode escape", ascii("\"\\u12\"")));
        values.add(new Value(ESCAPES, "raw control chars", quoted(new byte[] {0x01, 0x02, 0x1F, '\n'})));
        return values;
    }

    /**
     * The values sent to one field: the core families always, and a rotating share of the rest
     * ({@code rotation} shifts which), so that across the fields of an endpoint every value is used.
     */
    static List<Value> jsonValuesFor(int rotation, int share) {
        List<Value> all = jsonValues();
        List<Value> chosen = new ArrayList<>();
        List<Value> rest = new ArrayList<>();
        for (Value value : all) {
            boolean core = value.family().equals(NULL) || value.family().equals(WRONG_TYPE);
            (core ? chosen : rest).add(value);
        }
        for (int i = 0; i < share && i < rest.size(); i++) {
            chosen.add(rest.get(Math.floorMod(rotation * share + i, rest.size())));
        }
        return chosen;
    }

    static Value deepArray() {
        return new Value(DEEP_NESTING, DEPTH + " nested arrays", ascii("[".repeat(DEPTH) + "]".repeat(DEPTH)));
    }

    static Value deepObject() {
        return new Value(DEEP_NESTING, DEPTH + " nested objects", ascii("{\"a\":".repeat(DEPTH) + "1" + "}".repeat(DEPTH)));
    }

    // ---- whole bodies ----------------------------------------------------------------------------

    /** Bodies that are not JSON, or JSON of the wrong shape, whatever the endpoint wants. */
    static List<Value> malformedBodies() {
        List<Value> bodies = new ArrayList<>();
        for (String text : List.of("{", "}", "[", "{\"a\"}", "{\"a\":}", "{,}", "{\"a\":1,}", "{'a':1}", "{a:1}", "NaN", "undefined",
                "nul", "tru", "\"unterminated", "{\"a\":1}{\"b\":2}", "{\"a\":1} trailing", "/* comment */ {}", " ", "[]",
                "[1,2,3]", "\"string\"", "123", "null", "true", "{\"a\":01}", "{\"a\":.5}", "{\"a\":+1}", "{\"a\":0x10}",
                "{\"a\":Infinity}", "{\"a\":\"\\", "{\"\\u0000\":1}", "{\"a\":1e99999999999999999}")) {
            bodies.add(new Value("malformed-json", label(text), ascii(text)));
        }
        bodies.add(new Value("malformed-json", "NUL byte", new byte[] {0}));
        bodies.add(new Value(DEEP_NESTING, DEPTH + " nested arrays", deepArray().bytes()));
        bodies.add(new Value(DEEP_NESTING, DEPTH + " nested objects", deepObject().bytes()));
        bodies.add(new Value(DEEP_NESTING, "100k unclosed arrays", ascii("[".repeat(100_000))));
        bodies.add(new Value(DEEP_NESTING, "wide: 50k members", wideObject(50_000)));
        bodies.add(new Value(INVALID_UTF8, "1 KB of 0x80-0xFF", highBytes(1024)));
        bodies.add(new Value(INVALID_UTF8, "overlong quote C0 A2", new byte[] {'{', (byte) 0xC0, (byte) 0xA2, 'a', '"', ':', '1', '}'}));
        return bodies;
    }

    /** The base body cut at many points, the last few bytes included. */
    static List<Value> truncations(byte[] body, int points) {
        List<Value> cuts = new ArrayList<>();
        java.util.TreeSet<Integer> at = new java.util.TreeSet<>();
        at.add(0);
        for (int i = 1; i < points; i++) {
            at.add((int) ((long) body.length * i / points));
        }
        for (int tail = 1; tail <= 3; tail++) {
            at.add(Math.max(0, body.length - tail));
        }
        for (int cut : at) {
            if (cut < body.length) {
                cuts.add(new Value("truncated-json", "first " + cut + " of " + body.length + " bytes", java.util.Arrays.copyOf(body, cut)));
            }
        }
        return cuts;
    }

    /** The body in other encodings, with a stray invalid byte, or with a BOM. */
    static List<Value> encodings(String body) {
        List<Value> bodies = new ArrayList<>();
        bodies.add(new Value(INVALID_UTF8, "UTF-16BE", body.getBytes(StandardCharsets.UTF_16BE)));
        bodies.add(new Value(INVALID_UTF8, "UTF-16 with BOM", body.getBytes(StandardCharsets.UTF_16)));
        bodies.add(new Value(INVALID_UTF8, "UTF-32", body.getBytes(java.nio.charset.Charset.forName("UTF-32"))));
        bodies.add(new Value(INVALID_UTF8, "UTF-8 BOM", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8(body))));
        byte[] utf8 = utf8(body);
        int middle = body.indexOf("\":\"");
        if (middle > 0) {
            byte[] broken = concat(java.util.Arrays.copyOf(utf8, middle + 3), new byte[] {(byte) 0xFF, (byte) 0xC3, 0x28},
                    java.util.Arrays.copyOfRange(utf8, middle + 3, utf8.length));
            bodies.add(new Value(INVALID_UTF8, "FF C3 28 inside a string", broken));
        }
        return bodies;
    }

    /** Content types that are not what the endpoint consumes, or not content types at all. */
    static List<String> wrongContentTypes() {
        return List.of("text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "application/json; charset=utf-9", "application/json; charset=\"", "garbage", "*/*", "application/*",
                "application/json; charset=UTF-16", "image/png");
    }

    // ---- path segments and query values -----------------------------------------------------------

    /** Path segment values as they go into the request target (already encoded, or raw bytes on purpose). */
    static List<Value> pathValues() {
        List<Value> values = new ArrayList<>();
        for (String injection : INJECTIONS) {
            values.add(new Value(INJECTION, label(injection), ascii(encode(injection))));
        }
        for (String raw : List.of("a%2Fb", "%2F", "..%2F..%2Fadmin%2Fjobs", "%2e%2e", "%2e%2e%2f%2e%2e%2f", "..", ".", "%252F", "%00",
                "%0d%0aX-Injected:%201", "%ff%fe", "%", "%zz", "%u0041", "%20", "%09", ";jsessionid=1", ";a=b", "%3B", "%23frag",
                "%E2%80%AE", "%C0%AF", "%ED%A0%80", "%EF%BB%BF")) {
            values.add(new Value("path-encoding", raw, ascii(raw)));
        }
        values.add(new Value(INVALID_UTF8, "raw FF FE", new byte[] {(byte) 0xFF, (byte) 0xFE}));
        values.add(new Value(INVALID_UTF8, "raw C3 28", new byte[] {(byte) 0xC3, 0x28}));
        for (String number : List.of("99999999999999999999999", "-1", "0", "1e400", "9223372036854775808", "0x10")) {
            values.add(new Value(HUGE_NUMBER, number, ascii(number)));
        }
        values.add(new Value(LONG_STRING, "1k chars", ascii("a".repeat(1_000))));
        values.add(new Value(LONG_STRING, "10k chars", ascii("a".repeat(10_000))));
        values.add(new Value(LONG_STRING, "60k chars", ascii("a".repeat(60_000))));
        values.add(new Value(NULL, "empty", new byte[0]));
        values.add(new Value(NULL, "null", ascii("null")));
        return values;
    }

    static List<Value> queryValues() {
        List<Value> values = new ArrayList<>(pathValues());
        values.add(new Value("query-encoding", "plus and ampersand", ascii("a+b%26c%3Dd")));
        values.add(new Value(WRONG_TYPE, "true", ascii("true")));
        values.add(new Value(WRONG_TYPE, "1.5", ascii("1.5")));
        values.add(new Value(WRONG_TYPE, "array syntax", ascii("[1,2]")));
        return values;
    }

    // ---- headers ---------------------------------------------------------------------------------

    /** One header mutation: headers added to the base request (values written as bytes 0-255). */
    record HeaderCase(String family, String label, List<String[]> headers, boolean replacesAuthorization) {
    }

    static List<HeaderCase> headerCases() {
        List<HeaderCase> cases = new ArrayList<>();
        cases.add(header("oversized-header", "one 40 KB header", "X-Campaign", "a".repeat(40 * 1024)));
        cases.add(header("oversized-header", "one 200 KB header", "X-Campaign", "a".repeat(200 * 1024)));
        List<String[]> many = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            many.add(new String[] {"X-Campaign-" + i, "v"});
        }
        cases.add(new HeaderCase("oversized-header", "600 headers", many, false));
        for (String accept : List.of("application/xml", "text/html", "*/*;q=abc", "application/json;q=2", "image/png", ";;;",
                "a".repeat(8_000), "application/json, " + "x/y;q=0.1, ".repeat(500))) {
            cases.add(header("bad-accept", label(accept), "Accept", accept));
        }
        for (String authorization : List.of("Basic !!!notbase64", basic("admin:wrong-password"), basic("admin"), basic(":"),
                "Bearer abc.def.ghi", "Basic", "Basic " + "QUFB".repeat(3_000), "Digest username=\"admin\"",
                basic("' OR 1=1 --:x"), basic("admin\u0000:x"), "Negotiate YII=", basic("\u00e9\u00e8:\u00ff"))) {
            cases.add(new HeaderCase("bad-authorization", label(authorization), List.<String[]>of(new String[] {"Authorization", authorization}), true));
        }
        for (String length : List.of("99999999999999999999", "9223372036854775808", "2147483648", "1099511627776", "-1", "abc", "1e3")) {
            cases.add(header("huge-content-length", length, "Content-Length", length));
        }
        cases.add(new HeaderCase("huge-content-length", "two different Content-Length", List.of(
                new String[] {"Content-Length", "0"}, new String[] {"Content-Length", "5000000"}), false));
        // sent chunked as well: the request carries both framings
        cases.add(new HeaderCase("smuggling", "Content-Length and chunked", List.<String[]>of(new String[] {"Content-Length", "3"}), false));
        cases.add(header("misc-header", "Content-Encoding gzip", "Content-Encoding", "gzip"));
        cases.add(header("misc-header", "Expect 100-continue", "Expect", "100-continue"));
        cases.add(header("misc-header", "Accept-Charset utf-9", "Accept-Charset", "utf-9"));
        cases.add(header("misc-header", "Accept-Language injection", "Accept-Language", "' OR 1=1 --"));
        cases.add(header("misc-header", "Accept-Encoding junk", "Accept-Encoding", "gzip;q=abc, br;q=-1"));
        cases.add(header("misc-header", "If-Match *", "If-Match", "*"));
        cases.add(header("misc-header", "If-None-Match junk", "If-None-Match", "\"x\", W/junk"));
        cases.add(header("misc-header", "If-Modified-Since junk", "If-Modified-Since", "yesterday"));
        cases.add(header("misc-header", "Range overflow", "Range", "bytes=0-99999999999999999999"));
        cases.add(header("misc-header", "X-Forwarded-For injection", "X-Forwarded-For", "' OR 1=1 --, <script>"));
        cases.add(header("misc-header", "X-HTTP-Method-Override DELETE", "X-HTTP-Method-Override", "DELETE"));
        cases.add(header("misc-header", "second Host", "Host", "evil.example"));
        cases.add(header("misc-header", "Cookie JSESSIONID junk", "Cookie", "JSESSIONID=../../etc/passwd"));
        cases.add(header("misc-header", "Cookie LtpaToken2 junk", "Cookie", "LtpaToken2=" + "A".repeat(400)));
        cases.add(header("misc-header", "header with raw 0xFF", "X-Campaign", "\u00ff\u00fe"));
        cases.add(header("misc-header", "header with NUL", "X-Campaign", "a\u0000b"));
        cases.add(header("misc-header", "bare LF inside a header", "X-Campaign", "a\nX-Injected: yes"));
        cases.add(header("misc-header", "obs-fold", "X-Campaign", "a\r\n folded"));
        cases.add(header("misc-header", "header name with space", "X Bad", "v"));
        return cases;
    }

    private static HeaderCase header(String family, String label, String name, String value) {
        return new HeaderCase(family, label, List.<String[]>of(new String[] {name, value}), false);
    }

    static String basic(String credentials) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    // ---- helpers ---------------------------------------------------------------------------------

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A JSON string literal of {@code text}: control characters and lone surrogates escaped, the rest UTF-8. */
    static byte[] json(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 2);
        out.write('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pairedHigh = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
            if (c == '"' || c == '\\') {
                out.write('\\');
                out.write(c);
            } else if (c < 0x20 || Character.isSurrogate(c) && !pairedHigh) {
                out.writeBytes(String.format(Locale.ROOT, "\\u%04x", (int) c).getBytes(StandardCharsets.US_ASCII));
            } else if (pairedHigh) {
                out.writeBytes(text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
                i++;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        out.write('"');
        return out.toByteArray();
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String label(String text) {
        String printable = text.replaceAll("[\\x00-\\x1f\\x7f]", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "...(" + text.length() + ")" : printable;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] quoted(byte[] inner) {
        return concat(new byte[] {'"'}, inner, new byte[] {'"'});
    }

    private static byte[] highBytes(int n) {
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) (0x80 + i % 0x80);
        }
        return bytes;
    }

    private static byte[] wideObject(int members) {
        StringBuilder object = new StringBuilder("{");
        for (int i = 0; i < members; i++) {
            object.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
        }
        return ascii(object.append('}').toString());
    }
}
