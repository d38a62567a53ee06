package dev.jepoll.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jepoll.reactor.backend.Endpoint;
import dev.jepoll.reactor.backend.Handler;
import dev.jepoll.reactor.backend.Poller;
import dev.jepoll.reactor.backend.Watched;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The read-again list of a loop whose poller reports a socket once per arrival of data: a
 * connection that spends its read budget is read again next turn, once, even when a fresh edge
 * reports it in that same turn; no connection reads twice in one turn, so the read budget's
 * fairness holds. A peer that never stops sending, a budget of 2 reads per event, 12 turns.
 */
class ReadAgainTest {
    private static final int BUDGET = 2;
    private static final int TURNS = 12;

    /** Reports the one socket readable on every turn, as a new edge would; counts turns. */
    private static final class EveryTurnEdges implements Poller {
        Handler handler;
        int turn;

        @Override
        public void register(Watched socket, int ops, Handler h) {
            handler = h;
        }

        @Override
        public int select(long timeoutMillis) {
            if (++turn > TURNS) {
                throw new IllegalStateException("enough turns"); // ends the loop: it closes everything
            }
            return 1;
        }

        @Override
        public int dispatchReady(Dispatcher dispatcher) {
            if (handler != null) {
                dispatcher.dispatch(handler, SelectionKey.OP_READ);
                return 1;
            }
            return 0;
        }

        @Override
        public boolean hasBacklog() {
            return false;
        }

        @Override
        public void wakeup() {
        }

        @Override
        public boolean reportsOnce() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    /** Always has a byte: never EAGAIN. Counts reads per turn. */
    private static class EndlessPeer implements Endpoint {
        final EveryTurnEdges poller;
        final Map<Integer, Integer> readsPerTurn = new TreeMap<>();

        EndlessPeer(EveryTurnEdges poller) {
            this.poller = poller;
        }

        @Override
        public int read(ByteBuffer dst) {
            readsPerTurn.merge(poller.turn, 1, Integer::sum);
            dst.put((byte) 'x');
            return 1;
        }

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            src.position(src.limit());
            return n;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            long n = 0;
            for (int i = offset; i < offset + length; i++) {
                n += write(srcs[i]);
            }
            return n;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public void shutdownOutput() {
        }

        @Override
        public String peer() {
            return "peer";
        }

        @Override
        public void interest(int ops) {
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aConnectionDueAReadAgainReadsOncePerTurnEvenWhenAnEdgeReportsItToo() {
        EveryTurnEdges poller = new EveryTurnEdges();
        EndlessPeer peer = new EndlessPeer(poller);
        serve(poller, peer);

        assertEquals(TURNS - 1, peer.readsPerTurn.size(), "read on every turn after the one that adopted it: "
                + peer.readsPerTurn);
        peer.readsPerTurn.forEach((turn, reads) ->
                assertTrue(reads <= BUDGET, "turn " + turn + ": " + reads + " reads, budget " + BUDGET + ": " + peer.readsPerTurn));
    }

    /**
     * Turn 2: the connection is due its read again, and an edge reports it too; that event's read
     * drains the socket to EAGAIN. The list must not read it a second time in that turn.
     */
    @Test
    void aConnectionThatAnEventDrainedIsNotReadAgainInTheSameTurn() {
        EveryTurnEdges poller = new EveryTurnEdges();
        // 2 bytes arrive before turn 2 (the budget reads both, without meeting EAGAIN), 1 more before turn 3, then nothing
        EndlessPeer peer = new EndlessPeer(poller) {
            final Map<Integer, Integer> arriving = new TreeMap<>(Map.of(2, 2, 3, 1));
            int available;
            int lastTurn;

            @Override
            public int read(ByteBuffer dst) {
                if (poller.turn != lastTurn) {
                    lastTurn = poller.turn;
                    available += arriving.getOrDefault(poller.turn, 0);
                }
                readsPerTurn.merge(poller.turn, 1, Integer::sum);
                if (available == 0) {
                    return 0;
                }
                available--;
                dst.put((byte) 'x');
                return 1;
            }
        };
        serve(poller, peer);

        assertEquals(2, peer.readsPerTurn.get(2), "turn 2: the budget's two reads, stopping before EAGAIN");
        assertEquals(2, peer.readsPerTurn.get(3), "turn 3: the event's read takes the last bytes and meets EAGAIN;"
                + " the read-again list, due this turn, must not read it again: " + peer.readsPerTurn);
    }

    /** One edge-mode loop with a read budget of {@link #BUDGET}, adopting {@code peer}, run on this thread for {@link #TURNS} turns. */
    private static void serve(EveryTurnEdges poller, EndlessPeer peer) {
        ServerConfig config = ServerConfig.builder().mode(TriggerMode.EDGE).edgeReadBudget(BUDGET).log(line -> { }).build();
        EventLoop loop = new EventLoop(0, config, poller, link -> data -> { }, new MemoryBudget(1 << 30, () -> 1),
                new ServerLog(config.logger(), System::nanoTime));
        loop.joinGroup(List.of(loop));
        loop.load().incrementAndGet();
        loop.execute(() -> loop.adopt(peer, 1));
        loop.run(); // until the poller ends it after TURNS turns
    }
}
