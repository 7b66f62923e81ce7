package org.agentnet.ars;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class WordsTest {

    @Test
    void wordsAreLowerCaseLettersAndDigitsWithPluralsFolded() {
        assertEquals(List.of("book", "flight", "to", "paris", "2026"), Words.of("Book FLIGHTS to Paris, 2026!"));
        assertEquals(List.of("business", "status", "analysis", "visa"), Words.of("business status analysis visas"));
        assertEquals(List.of("or", "1", "1", "drop", "table", "ars", "agent"), Words.of("' OR '1'='1'; DROP TABLE ars_agent; --"));
        assertEquals(List.of(), Words.of("';--"));
    }

    @Test
    void hanCharactersAreWordsAndFullWidthFormsAreFolded() {
        assertEquals(List.of("酒", "店", "预", "订", "api"), Words.of("酒店预订 ＡＰＩ"));
    }
}
