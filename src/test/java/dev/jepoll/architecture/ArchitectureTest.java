package dev.jepoll.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The structure the packages promise, read from the sources of both roots: the backend seam
 * keeps the loop core and the backends apart, and no file grows past what a reader takes in.
 */
class ArchitectureTest {
    private static final List<Path> ROOTS = List.of(Path.of("src/main/java"), Path.of("src/main/java22"));
    private static final String CORE = "dev.jepoll.reactor";
    private static final String SEAM = "dev.jepoll.reactor.backend";
    private static final Pattern NAMED = Pattern.compile("\\b(dev\\.jepoll\\.[a-z.]+)\\.([A-Z]\\w*)");
    private static final int MAX_LINES = 400;

    record Source(Path path, String pkg, String text) {
        String file() {
            return path.getFileName().toString();
        }
    }

    @Test
    void noBackendClassNamesTheLoopCore() throws IOException {
        List<String> leaks = new ArrayList<>();
        for (Source s : sources()) {
            if (s.pkg().startsWith(SEAM)) {
                for (String named : named(s)) {
                    if (named.substring(0, named.lastIndexOf('.')).equals(CORE)) {
                        leaks.add(s.path() + " names " + named);
                    }
                }
            }
        }
        assertEquals(List.of(), leaks);
    }

    @Test
    void theCoreNamesNoBackendOnlyTheSeam() throws IOException {
        List<String> leaks = new ArrayList<>();
        for (Source s : sources()) {
            if (!s.pkg().startsWith(SEAM)) {
                for (String named : named(s)) {
                    if (named.startsWith(SEAM + ".nio.") || named.startsWith(SEAM + ".epoll.")) {
                        leaks.add(s.path() + " names " + named);
                    }
                }
            }
        }
        assertEquals(List.of(), leaks);
    }

    @Test
    void noMainFileIsOverFourHundredLines() throws IOException {
        List<String> tooLong = new ArrayList<>();
        for (Source s : sources()) {
            long lines = s.text().lines().count();
            if (lines > MAX_LINES) {
                tooLong.add(s.path() + ": " + lines + " lines (at most " + MAX_LINES + ")");
            }
        }
        assertEquals(List.of(), tooLong);
    }

    /** The rules look at something: every package of the layout is there. */
    @Test
    void theLayoutHasItsPackages() throws IOException {
        List<String> packages = sources().stream().map(Source::pkg).distinct().sorted().toList();
        for (String expected : List.of(CORE, SEAM, SEAM + ".nio", SEAM + ".epoll", "dev.jepoll.chat", "dev.jepoll.echo",
                "dev.jepoll.cli")) {
            assertTrue(packages.contains(expected), expected + " in " + packages);
        }
        for (String pkg : packages) {
            Path info = ROOTS.get(0).resolve(pkg.replace('.', '/')).resolve("package-info.java");
            assertTrue(Files.exists(info), "every package says what it is: " + info);
        }
    }

    /** Fully qualified names of jepoll classes in imports and code, comments and strings left out. */
    private static List<String> named(Source s) {
        String code = codeOnly(s.text());
        List<String> names = new ArrayList<>();
        Matcher m = NAMED.matcher(code);
        while (m.find()) {
            String pkg = m.group(1);
            if (!pkg.equals(s.pkg())) {
                names.add(pkg + "." + m.group(2));
            }
        }
        return names;
    }

    /** The text with comments, strings, text blocks and character literals blanked out. */
    static String codeOnly(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("/*", i)) {
                i = skipPast(text, i + 2, "*/");
            } else if (text.startsWith("//", i)) {
                i = skipPast(text, i + 2, "\n");
                out.append('\n');
            } else if (text.startsWith("\"\"\"", i)) {
                i = skipPast(text, i + 3, "\"\"\"");
                out.append("\"\"");
            } else if (text.charAt(i) == '"' || text.charAt(i) == '\'') {
                char quote = text.charAt(i++);
                while (i < text.length() && text.charAt(i) != quote) {
                    i += text.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
                out.append(quote).append(quote);
            } else {
                out.append(text.charAt(i++));
            }
        }
        return out.toString();
    }

    private static int skipPast(String text, int from, String end) {
        int at = text.indexOf(end, from);
        return at < 0 ? text.length() : at + end.length();
    }

    private static List<Source> sources() throws IOException {
        List<Source> all = new ArrayList<>();
        for (Path root : ROOTS) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String text = Files.readString(p);
                    Matcher pkg = Pattern.compile("(?m)^package ([\\w.]+);").matcher(text);
                    all.add(new Source(p, pkg.find() ? pkg.group(1) : "", text));
                }
            }
        }
        assertTrue(all.size() > 50, "the sources are found from " + Path.of("").toAbsolutePath());
        return all;
    }
}
