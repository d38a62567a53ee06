package dev.jepoll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The documents and the program cannot drift: every command a document shows (in its shell
 * blocks, and every {@code make ...} in its prose) is run here as far as it can be without
 * serving for ever. A {@code make} command is run with {@code make -n}, so its target and
 * variables must exist; when it would start the server, the options it passes are parsed by the
 * server's own parser and must be accepted. And the learner's guide says the same in English
 * and Korean: the two list the same commands in the same order.
 */
class DocCommandsProcessTest {
    private static final Pattern SHELL_BLOCK = Pattern.compile("(?s)```sh\\n(.*?)```");
    private static final Pattern INLINE_MAKE = Pattern.compile("`(make [^`]+)`");
    private static final Pattern JAR_ARGS = Pattern.compile("(?:-jar target/jepoll\\.jar|dev\\.jepoll\\.cli\\.Main) (.*)$", Pattern.MULTILINE);

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // some 40 make -n runs, each well under a second here
    void everyDocumentedMakeCommandExistsAndPassesOptionsTheServerAccepts() throws Exception {
        Map<String, String> seen = new LinkedHashMap<>();
        for (Path doc : documents()) {
            for (String command : commands(Files.readString(doc))) {
                seen.putIfAbsent(command, doc.toString());
            }
        }
        assertTrue(seen.size() > 20, "commands found: " + seen.keySet());
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, String> e : seen.entrySet()) {
            String problem = check(e.getKey());
            if (problem != null) {
                failures.add(e.getValue() + ": " + e.getKey() + ": " + problem);
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void theEnglishAndKoreanLearnersGuidesListTheSameCommandsInTheSameOrder() throws IOException {
        List<String> english = commands(Files.readString(Path.of("docs/learners-guide.md")));
        List<String> korean = commands(Files.readString(Path.of("docs/learners-guide.ko.md")));
        assertTrue(english.size() >= 10, "the guide shows its commands: " + english);
        assertEquals(english, korean);
    }

    /** Shell-block lines (comments cut) and inline {@code make ...} spans, in document order. */
    static List<String> commands(String markdown) {
        List<int[]> blocks = new ArrayList<>();
        List<String> commands = new ArrayList<>();
        Map<Integer, String> byPosition = new java.util.TreeMap<>();
        Matcher block = SHELL_BLOCK.matcher(markdown);
        while (block.find()) {
            blocks.add(new int[] {block.start(), block.end()});
            int offset = block.start(1);
            for (String line : block.group(1).split("\n")) {
                String command = line.replaceAll("\\s+#.*$", "").strip();
                if (!command.isEmpty()) {
                    byPosition.put(offset, command);
                }
                offset += line.length() + 1;
            }
        }
        Matcher inline = INLINE_MAKE.matcher(markdown);
        while (inline.find()) {
            int at = inline.start();
            if (blocks.stream().noneMatch(b -> at >= b[0] && at < b[1])) {
                byPosition.put(at, inline.group(1).strip());
            }
        }
        commands.addAll(byPosition.values());
        return commands;
    }

    /** Null if the command checks out, else what is wrong with it. */
    private static String check(String command) throws Exception {
        List<String> words = shellWords(command);
        Map<String, String> env = new LinkedHashMap<>();
        while (!words.isEmpty() && words.get(0).matches("[A-Z_]+=.*")) {
            String[] kv = words.remove(0).split("=", 2);
            env.put(kv[0], kv[1]);
        }
        if (words.get(0).equals("mvn")) {
            String makefile = Files.readString(Path.of("Makefile"));
            return makefile.contains(String.join(" ", words.subList(1, words.size()))) ? null
                    : "not the command make runs";
        }
        if (!words.get(0).equals("make")) {
            return "not a make command: the documents show only what make, and so CI, runs";
        }
        if (words.stream().anyMatch(w -> w.contains("..."))) {
            words.removeIf(w -> w.contains("...")); // a placeholder (SEED=...): the rest is checked
        }
        List<String> argv = new ArrayList<>(List.of("make", "-n", "--no-print-directory"));
        argv.addAll(words.subList(1, words.size()));
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process make = builder.start();
        make.getOutputStream().close();
        String output = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!make.waitFor(60, TimeUnit.SECONDS)) {
            make.destroyForcibly();
            return "make -n did not finish";
        }
        if (make.exitValue() != 0) {
            return "make -n failed: " + output;
        }
        Matcher jar = JAR_ARGS.matcher(output);
        while (jar.find()) {
            String[] args = shellWords(jar.group(1).strip()).toArray(String[]::new);
            try {
                ByteArrayOutputStream sink = new ByteArrayOutputStream();
                PrintStream quiet = new PrintStream(sink, true, StandardCharsets.UTF_8);
                Options.parse(args, quiet, quiet);
            } catch (UsageException e) {
                return "the server refuses " + Arrays.toString(args) + ": " + e.getMessage();
            }
        }
        return null;
    }

    /** Words as a shell splits them: blanks separate, quotes group and are removed. */
    static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> files = Files.list(Path.of("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }
}
