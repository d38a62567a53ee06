package dev.jepoll.chat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Assertions shared by the chat tests, for lines shaped {@code [name] line N ...}. */
final class ChatLaws {
    private static final Pattern NUMBERED = Pattern.compile("^\\[([^\\]]+)\\] line (\\d+) ");

    private ChatLaws() {
    }

    /** Each sender's numbered lines arrive in increasing order. */
    static void assertEachSendersLinesInOrder(List<String> received) {
        Map<String, Integer> last = new HashMap<>();
        for (String line : received) {
            Matcher m = NUMBERED.matcher(line);
            assertTrue(m.find(), "unexpected line: " + line);
            int n = Integer.parseInt(m.group(2));
            Integer previous = last.put(m.group(1), n);
            assertTrue(previous == null || previous < n, "out of order for " + m.group(1) + ": " + previous + " then " + n);
        }
    }
}
