package dev.jepoll.torture;

import dev.jepoll.reactor.SelectorKind;
import dev.jepoll.reactor.ServerConfig;
import dev.jepoll.reactor.TriggerMode;
import java.util.Locale;

/**
 * One point of the matrix: how the server runs ({@code backend x mode x loops x budget x buffer
 * x app}) and the load it meets. Made by {@link Combinations} from a seed; printed with it, so
 * that a failure names the one command that replays it.
 *
 * @param seed        what made this combination ({@code make torture SEED=...} makes it again)
 * @param backend     the JDK's selector pinned to epoll, or native epoll (Java 22+)
 * @param mode        level or edge
 * @param loops       1, 2 or 4
 * @param tightBudget the smallest memory budget allowed (256 KiB a loop) instead of the default
 * @param buffer      the read buffer, 4 bytes to 1 MiB
 * @param chat        chat or echo
 * @param clients     reading clients
 * @param size        echo: the most bytes a client sends; chat: bytes per line
 * @param count       echo: the most bytes per write; chat: lines each client says
 * @param hostile     echo: clients that reset mid-transfer; chat: clients that never read
 * @param burst       chat: lines written at once (at most {@code window} unheard)
 * @param slowReader  chat: one reader pauses after every read of 4 KiB
 * @param order       how clients are shuffled as they connect (which loop each lands on)
 */
record Combination(long seed, SelectorKind backend, TriggerMode mode, int loops, boolean tightBudget, int buffer,
                   boolean chat, int clients, int size, int count, int hostile, int burst, boolean slowReader,
                   long order) {

    long memoryBudget() {
        return tightBudget ? ServerConfig.MIN_MEMORY_BUDGET_PER_LOOP * loops : 0;
    }

    /** The server's command-line options for this combination, as a user would type them. */
    String options() {
        return "--app " + (chat ? "chat" : "echo") + " --selector " + backend.name().toLowerCase(Locale.ROOT)
                + " --mode " + mode.name().toLowerCase(Locale.ROOT) + " --loops " + loops + " --buffer " + buffer
                + (tightBudget ? " --memory-budget " + memoryBudget() / 1024 + "k" : "");
    }

    String load() {
        return chat
                ? clients + " readers x " + count + " lines of " + size + " B, bursts of " + burst
                        + (hostile > 0 ? ", " + hostile + " never reading" : "") + (slowReader ? ", one slow reader" : "")
                : clients + " clients x up to " + size + " B in pieces of up to " + count + " B"
                        + (hostile > 0 ? ", " + hostile + " resetting" : "");
    }

    @Override
    public String toString() {
        return "seed " + seed + ": " + options() + "; " + load();
    }
}
