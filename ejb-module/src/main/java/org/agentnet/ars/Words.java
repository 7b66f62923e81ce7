package org.agentnet.ars;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The words of a text for the discovery text query: NFKC-normalized, lower-cased, split at
 * anything that is not a letter or digit; each Han character is a word of its own (Chinese has no
 * spaces), so "酒店预订" matches "预订". A plural s is folded ("flights" is "flight"; not after
 * s, u or i: "business", "status", "analysis"). Punctuation never reaches the index or a query.
 */
final class Words {

    static final int MAX_WORD = 64;

    private Words() {
    }

    static List<String> of(String text) {
        List<String> words = new ArrayList<>();
        if (text == null) {
            return words;
        }
        String normalized = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        StringBuilder word = new StringBuilder();
        normalized.codePoints().forEach(c -> {
            if (Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN) {
                flush(word, words);
                words.add(new String(Character.toChars(c)));
            } else if (Character.isLetterOrDigit(c)) {
                word.appendCodePoint(c);
            } else {
                flush(word, words);
            }
        });
        flush(word, words);
        return words;
    }

    private static void flush(StringBuilder word, List<String> words) {
        if (word.length() > 0) {
            String text = word.length() > MAX_WORD ? word.substring(0, MAX_WORD) : word.toString();
            words.add(singular(text));
            word.setLength(0);
        }
    }

    static String singular(String word) {
        int n = word.length();
        if (n > 3 && word.charAt(n - 1) == 's' && "sui".indexOf(word.charAt(n - 2)) < 0) {
            return word.substring(0, n - 1);
        }
        return word;
    }
}
