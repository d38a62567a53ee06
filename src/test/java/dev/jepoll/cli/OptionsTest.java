package dev.jepoll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jepoll.chat.ChatConfig;
import dev.jepoll.reactor.SelectorKind;
import dev.jepoll.reactor.TriggerMode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every option's accepted minimum and maximum, and one past each refused with its own message;
 * sizes with their suffixes; seconds turned into milliseconds; the watermark defaults. Parsed
 * in-process, nothing started.
 */
class OptionsTest {
    private final ByteArrayOutputStream trace = new ByteArrayOutputStream();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final PrintStream traceOut = new PrintStream(trace, true, StandardCharsets.UTF_8);
    private final PrintStream logOut = new PrintStream(logged, true, StandardCharsets.UTF_8);

    private Options parse(String args) throws UsageException {
        return Options.parse(args.trim().split("\\s+"), traceOut, logOut);
    }

    private static final Map<String, Function<Options, Object>> FIELDS = Map.ofEntries(
            Map.entry("port", o -> o.server().port()),
            Map.entry("loops", o -> o.server().loops()),
            Map.entry("buffer", o -> o.server().bufferSize()),
            Map.entry("edgeReadBudget", o -> o.server().edgeReadBudget()),
            Map.entry("maxEvents", o -> o.server().maxEvents()),
            Map.entry("high", o -> o.server().highWatermark()),
            Map.entry("low", o -> o.server().lowWatermark()),
            Map.entry("maxConnections", o -> o.server().maxConnections()),
            Map.entry("backlog", o -> o.server().backlog()),
            Map.entry("sendBuffer", o -> o.server().sendBufferSize()),
            Map.entry("writeTimeoutMillis", o -> o.server().writeTimeoutMillis()),
            Map.entry("idleTimeoutMillis", o -> o.server().idleTimeoutMillis()),
            Map.entry("memoryBudget", o -> o.server().memoryBudget()),
            Map.entry("graceMillis", o -> o.graceMillis()),
            Map.entry("stats", o -> o.statsSeconds()),
            Map.entry("maxLine", o -> o.chat().maxLineBytes()),
            Map.entry("slowConsumerLimit", o -> o.chat().slowConsumerLimit()),
            Map.entry("stallTimeoutMillis", o -> o.chat().stallTimeoutMillis()),
            Map.entry("backplane", o -> o.backplane()),
            Map.entry("cluster", o -> o.cluster()));

    @ParameterizedTest(name = "[{index}] {0} -> {1} = {2}")
    @CsvSource(delimiter = '|', value = {
        "--port 0                                  | port               | 0",
        "--port 65535                              | port               | 65535",
        "65535                                     | port               | 65535",
        "--port 1 --loops 1                        | loops              | 1",
        "--port 1 --loops 256                      | loops              | 256",
        "--port 1 --buffer 1                       | buffer             | 1",
        "--port 1 --buffer 64m                     | buffer             | 67108864",
        "--port 1 --buffer 67108864                | buffer             | 67108864",
        "--port 1 --buffer 8k                      | buffer             | 8192",
        "--port 1 --buffer 4K                      | buffer             | 4096",
        "--port 1 --buffer 1M                      | buffer             | 1048576",
        "--port 1 --edge-read-budget 0             | edgeReadBudget     | 0",
        "--port 1 --edge-read-budget 2147483647    | edgeReadBudget     | 2147483647",
        "--port 1 --max-events 1                   | maxEvents          | 1",
        "--port 1 --max-events 65536               | maxEvents          | 65536",
        "--port 1 --high-watermark 1               | high               | 1",
        "--port 1 --high-watermark 1               | low                | 0",
        "--port 1 --high-watermark 2147483647      | high               | 2147483647",
        "--port 1 --high-watermark 2147483647      | low                | 16384",
        "--port 1 --high-watermark 16k             | low                | 4096",
        "--port 1 --high-watermark 16385           | low                | 16384",
        "--port 1 --high-watermark 8k --low-watermark 1k | low          | 1024",
        "--port 1 --low-watermark 0                | low                | 0",
        "--port 1 --high-watermark 2147483647 --low-watermark 2147483646 | low | 2147483646",
        "--port 1 --max-connections 1              | maxConnections     | 1",
        "--port 1 --max-connections 2147483647     | maxConnections     | 2147483647",
        "--port 1 --backlog 1                      | backlog            | 1",
        "--port 1 --backlog 2147483647             | backlog            | 2147483647",
        "--port 1 --send-buffer 1                  | sendBuffer         | 1",
        "--port 1 --send-buffer 2147483647         | sendBuffer         | 2147483647",
        "--port 1 --write-timeout 0                | writeTimeoutMillis | 0",
        "--port 1 --write-timeout 86400            | writeTimeoutMillis | 86400000",
        "--port 1 --idle-timeout 0                 | idleTimeoutMillis  | 0",
        "--port 1 --idle-timeout 86400             | idleTimeoutMillis  | 86400000",
        "--port 1 --loops 1 --memory-budget 256k   | memoryBudget       | 262144",
        "--port 1 --memory-budget 2147483647       | memoryBudget       | 2147483647",
        "--port 1 --grace 0                        | graceMillis        | 0",
        "--port 1 --grace 86400                    | graceMillis        | 86400000",
        "--port 1                                  | graceMillis        | 5000",
        "--port 1 --stats 0                        | stats              | 0",
        "--port 1 --stats 86400                    | stats              | 86400",
        "--port 1 --app chat --max-line 1 --slow-consumer-limit 2 | maxLine | 1",
        "--port 1 --app chat --max-line 1 --slow-consumer-limit 2 | slowConsumerLimit | 2",
        "--port 1 --app chat --max-line 2147483646 --slow-consumer-limit 2147483647 | maxLine | 2147483646",
        "--port 1 --app chat --max-line 2147483646 --slow-consumer-limit 2147483647 | slowConsumerLimit | 2147483647",
        "--port 1 --max-line 2147483647            | maxLine            | 65536",
        "--port 1 --app chat                       | stallTimeoutMillis | 2000",
        "--port 1 --app chat --stall-timeout 1     | stallTimeoutMillis | 1000",
        "--port 1 --app chat --stall-timeout 86400 | stallTimeoutMillis | 86400000",
        "--port 1 --app chat                       | backplane          | null",
        "--port 1 --app chat --backplane nats://127.0.0.1:4222 | backplane | nats://127.0.0.1:4222",
        "--port 1 --app chat --backplane nats://127.0.0.1:4222 | cluster | main",
        "--port 1 --app chat --backplane tls://u:p@broker:4443 --cluster a-Z_9 | cluster | a-Z_9",
        "--port 1 --app chat --backplane nats://h --cluster 1234567890123456789012345678901234567890123456789012345678901234 | cluster | 1234567890123456789012345678901234567890123456789012345678901234",
    })
    void theBoundsOfEveryOptionAreAccepted(String args, String field, String expected) throws UsageException {
        assertEquals(expected, String.valueOf(FIELDS.get(field).apply(parse(args))));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "--port -1                                 | port must be 0..65535, got -1",
        "--port 65536                              | port must be 0..65535, got 65536",
        "--port 1 --loops 0                        | --loops must be 1..256, got 0",
        "--port 1 --loops 257                      | --loops must be 1..256, got 257",
        "--port 1 --buffer 0                       | --buffer must be at least 1 byte, got 0",
        "--port 1 --buffer 67108865                | --buffer must be at most 67108864 bytes, got 67108865",
        "--port 1 --buffer 65537k                  | --buffer must be at most 65536k, got 65537k",
        "--port 1 --buffer 99999999999999999k      | --buffer must be at most 65536k, got 99999999999999999k",
        "--port 1 --buffer 99999999999999999999k   | --buffer must be at most 65536k, got 99999999999999999999k",
        "--port 1 --buffer -1k                     | --buffer must be at least 1 byte, got -1k",
        "--port 1 --edge-read-budget -1            | --edge-read-budget must be 0..2147483647, got -1",
        "--port 1 --edge-read-budget 2147483648    | --edge-read-budget must be 0..2147483647, got 2147483648",
        "--port 1 --edge-read-budget -99999999999999999999 | --edge-read-budget must be 0..2147483647, got -99999999999999999999",
        "--port 1 --max-events 0                   | --max-events must be 1..65536, got 0",
        "--port 1 --max-events 65537               | --max-events must be 1..65536, got 65537",
        "--port 1 --high-watermark 0               | --high-watermark must be at least 1 byte, got 0",
        "--port 1 --high-watermark 2147483648      | --high-watermark must be at most 2147483647 bytes, got 2147483648",
        "--port 1 --low-watermark -1               | --low-watermark must be at least 0 bytes, got -1",
        "--port 1 --low-watermark 2147483648       | --low-watermark must be at most 2147483647 bytes, got 2147483648",
        "--port 1 --low-watermark -99999999999999999999 | --low-watermark must be at least 0 bytes, got -99999999999999999999",
        "--port 1 --high-watermark 8k --low-watermark 8k | low watermark must be below the high watermark (8192), got 8192",
        "--port 1 --max-connections 0              | --max-connections must be 1..2147483647, got 0",
        "--port 1 --max-connections 2147483648     | --max-connections must be 1..2147483647, got 2147483648",
        "--port 1 --backlog 0                      | --backlog must be 1..2147483647, got 0",
        "--port 1 --backlog 2147483648             | --backlog must be 1..2147483647, got 2147483648",
        "--port 1 --send-buffer 0                  | --send-buffer must be at least 1 byte, got 0",
        "--port 1 --send-buffer 2147483648         | --send-buffer must be at most 2147483647 bytes, got 2147483648",
        "--port 1 --write-timeout -1               | --write-timeout must be 0..86400, got -1",
        "--port 1 --write-timeout 86401            | --write-timeout must be 0..86400, got 86401",
        "--port 1 --idle-timeout -1                | --idle-timeout must be 0..86400, got -1",
        "--port 1 --idle-timeout 86401             | --idle-timeout must be 0..86400, got 86401",
        "--port 1 --memory-budget 262143           | --memory-budget must be at least 262144 bytes, got 262143",
        "--port 1 --memory-budget 2147483648       | --memory-budget must be at most 2147483647 bytes, got 2147483648",
        "--port 1 --grace -1                       | --grace must be 0..86400, got -1",
        "--port 1 --grace 86401                    | --grace must be 0..86400, got 86401",
        "--port 1 --stats -1                       | --stats must be 0..86400, got -1",
        "--port 1 --stats 86401                    | --stats must be 0..86400, got 86401",
        "--port 1 --max-line 0                     | --max-line must be at least 1 byte, got 0",
        "--port 1 --max-line 2147483648            | --max-line must be at most 2147483647 bytes, got 2147483648",
        "--port 1 --stall-timeout 0                | --stall-timeout must be 1..86400, got 0",
        "--port 1 --slow-consumer-limit 1          | --slow-consumer-limit must be at least 2 bytes, got 1",
        "--port 1 --slow-consumer-limit 2147483648 | --slow-consumer-limit must be at most 2147483647 bytes, got 2147483648",
        "--port 1 --app chat --max-line 2147483647 --slow-consumer-limit 2147483647 | slow-consumer limit (2147483647) must be larger than the max line (2147483647)",
        "--port 1 --edge-read-once=1               | --edge-read-once takes no value, got '--edge-read-once=1'",
        "--port 1 --no-tcp-nodelay=0               | --no-tcp-nodelay takes no value, got '--no-tcp-nodelay=0'",
        "--port 1 --selector=                      | --selector needs a value, got an empty one",
        "--port 1 --backplane nats://127.0.0.1:4222 | --backplane is for --app chat (echo has no room to share)",
        "--port 1 --memory-budget 0m               | --memory-budget must be at least 256k, got 0m",
        "-                                         | port must be a number, got '-'",
        "--port 1 --app chat --backplane 127.0.0.1:4222 | --backplane must be an address such as nats://127.0.0.1:4222, got '127.0.0.1:4222'",
        "--port 1 --app chat --backplane nats://   | --backplane must be an address such as nats://127.0.0.1:4222, got 'nats://'",
        "--port 1 --app chat --cluster blue        | --cluster names the room on the backplane: give --backplane too",
        "--port 1 --app chat --backplane nats://h --cluster a.b | --cluster must be 1..64 letters, digits, '-' or '_', got 'a.b'",
        "--port 1 --app chat --backplane nats://h --cluster 12345678901234567890123456789012345678901234567890123456789012345 | --cluster must be 1..64 letters, digits, '-' or '_', got '12345678901234567890123456789012345678901234567890123456789012345'",
    })
    void oneStepPastEveryBoundIsRefusedWithItsOwnMessage(String args, String message) {
        UsageException e = assertThrows(UsageException.class, () -> parse(args));
        assertEquals(message, e.getMessage());
    }

    @Test
    void flagsAndChoicesAreRead() throws UsageException {
        Options o = parse("--port 1 --selector NATIVE --mode Edge --edge-read-once --no-tcp-nodelay --trace --app CHAT");
        assertTrue(o.server().edgeReadOnce());
        assertFalse(o.server().tcpNoDelay());
        assertSame(traceOut, o.server().trace());
        assertEquals(SelectorKind.NATIVE, o.server().selector());
        assertTrue(o.server().selectorExplicit());
        assertEquals(TriggerMode.EDGE, o.server().mode());
        assertEquals(App.CHAT, o.app());
        assertEquals(ChatConfig.defaults(), o.chat());

        Options plain = parse("--port=9190");
        assertTrue(plain.server().tcpNoDelay());
        assertEquals(null, plain.server().trace());
        assertFalse(plain.server().selectorExplicit());
        assertEquals(Options.DEFAULT_LOOPS, plain.server().loops());
        assertEquals("127.0.0.1", plain.server().bindAddress().getHostAddress());
    }

    @Test
    void theServersLogLinesGoToTheLogStreamMarkedAsJepolls() throws UsageException {
        Options o = parse("--port 1");
        o.server().logger().log(System.Logger.Level.WARNING, "closed client 3 (slow consumer)");
        assertEquals("jepoll: closed client 3 (slow consumer)" + System.lineSeparator(),
                logged.toString(StandardCharsets.UTF_8));
        assertEquals("", trace.toString(StandardCharsets.UTF_8));
    }
}
