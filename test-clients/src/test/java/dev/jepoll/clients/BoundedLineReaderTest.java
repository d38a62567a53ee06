package dev.jepoll.clients;

import static dev.jepoll.clients.BoundedLineReader.CUT_MARKER;
import static dev.jepoll.clients.BoundedLineReader.MAX_LINE_BYTES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link BoundedLineReader} in-process, on scripted streams. */
class BoundedLineReaderTest {

    @Test
    void readsLinesAndAPartialLastOneHoweverTheBytesArrive() throws IOException {
        byte[] bytes = "a\n안녕\r\n\nlast words".getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of("a", "안녕", "", "last words"), readAll(oneByteAtATime(bytes)));
    }

    /** What came before a reset is still printed; the reset is reported after it. */
    @Test
    void returnsThePartialLineBeforeAFailure() throws IOException {
        SocketException reset = new SocketException("Connection reset");
        BoundedLineReader reader = new BoundedLineReader(new SequenceInputStream(
                new ByteArrayInputStream("whole\npart".getBytes(StandardCharsets.UTF_8)), failing(reset)));

        assertEquals("whole", reader.readLine());
        assertEquals("part", reader.readLine());
        assertSame(reset, assertThrows(IOException.class, reader::readLine));
    }

    @Test
    void keepsALineOfExactlyTheLimit() throws IOException {
        String line = "y".repeat(MAX_LINE_BYTES);
        assertEquals(List.of(line, "next"), readAll(stream(line + "\nnext\n")));
    }

    @Test
    void cutsALongerLineAtTheLimitAndDropsTheRestOfIt() throws IOException {
        String line = "y".repeat(MAX_LINE_BYTES) + "z".repeat(3 * MAX_LINE_BYTES);
        assertEquals(List.of("y".repeat(MAX_LINE_BYTES) + CUT_MARKER, "next"), readAll(stream(line + "\nnext")));
    }

    /** A cut line that never ends leaves nothing over to print as a partial last line. */
    @Test
    void endsQuietlyAfterACutLineThatNeverEnds() throws IOException {
        String line = "y".repeat(MAX_LINE_BYTES + 1);
        assertEquals(List.of("y".repeat(MAX_LINE_BYTES) + CUT_MARKER), readAll(stream(line)));
    }

    @Test
    void replacesControlCharactersAndInvalidUtf8ButKeepsTabs() throws IOException {
        byte[] bytes = {'a', 0x1B, '[', '2', 'J', '\t', 'b', '\r', 'c', 0x7F, (byte) 0xC0, (byte) 0xAF, (byte) 0xFF, '\n'};
        assertEquals(List.of("a\uFFFD[2J\tb\uFFFDc\uFFFD\uFFFD\uFFFD\uFFFD"), readAll(new ByteArrayInputStream(bytes)));
    }

    private static List<String> readAll(InputStream in) throws IOException {
        BoundedLineReader reader = new BoundedLineReader(in);
        List<String> lines = new ArrayList<>();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lines.add(line);
        }
        return lines;
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Splits every multi-byte character across reads, as TCP may. */
    private static InputStream oneByteAtATime(byte[] bytes) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] into, int offset, int length) {
                return super.read(into, offset, Math.min(length, 1));
            }
        };
    }

    private static InputStream failing(IOException failure) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                throw failure;
            }

            @Override
            public int read(byte[] into, int offset, int length) throws IOException {
                throw failure;
            }
        };
    }
}
