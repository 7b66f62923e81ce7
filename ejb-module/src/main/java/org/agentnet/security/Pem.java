package org.agentnet.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;

/** Strict PEM (RFC 7468) reading and writing: one label, base64 only, nothing around the blocks. */
public final class Pem {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----\\s*");

    private Pem() {
    }

    /** The DER of the single block labelled {@code label}; anything else is a 400 problem. */
    public static byte[] decodeSingle(String pem, String label, ProblemType problem) {
        List<byte[]> blocks = decodeAll(pem, label, problem);
        if (blocks.size() != 1) {
            throw new AgentnetException(problem, "expected exactly one PEM block labelled " + label + ", found " + blocks.size());
        }
        return blocks.get(0);
    }

    public static List<byte[]> decodeAll(String pem, String label, ProblemType problem) {
        if (pem == null || pem.isBlank()) {
            throw new AgentnetException(problem, "no PEM " + label + " given");
        }
        String text = pem.strip();
        Matcher matcher = BLOCK.matcher(text);
        List<byte[]> blocks = new ArrayList<>();
        int position = 0;
        while (position < text.length()) {
            if (!matcher.find(position) || matcher.start() != position) {
                throw new AgentnetException(problem, "not a PEM " + label + " (unexpected text at character " + position + ")");
            }
            if (!matcher.group(1).equals(label)) {
                throw new AgentnetException(problem, "expected PEM label " + label + ", found " + matcher.group(1));
            }
            try {
                blocks.add(Base64.getMimeDecoder().decode(matcher.group(2).replaceAll("\\s", "")
                        .getBytes(StandardCharsets.US_ASCII)));
            } catch (IllegalArgumentException e) {
                throw new AgentnetException(problem, "the PEM " + label + " is not valid base64");
            }
            position = matcher.end();
        }
        return blocks;
    }

    public static String encode(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
