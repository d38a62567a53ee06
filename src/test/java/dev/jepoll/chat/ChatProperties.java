package dev.jepoll.chat;

import dev.jepoll.reactor.TriggerMode;
import dev.jepoll.testsupport.Backends;
import java.util.List;
import java.util.function.BiConsumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * The chat law, stated against a model: whatever clients join, speak (alone or at once),
 * leave cleanly or drop abruptly, on one event loop or spread over several, on every backend
 * this JVM runs (the JDK's selector, and native epoll on Java 22+), every client in
 * the room from before a line was spoken until it arrives receives that line exactly once,
 * whole, and each speaker's lines in order. Lines reach the limits: up to the 64 KiB line limit,
 * across block boundaries, and bursts past a 256 KiB slow-consumer limit, where the room's flow
 * control must slow the speakers and cut nobody.
 */
class ChatProperties {
    private static final int MAX_CLIENTS = 16;

    @Property(tries = 30)
    void everyoneHearsEveryLineOnceAndInOrder(@ForAll("sessions") ActionChain<ChatWorld> chain) {
        try {
            chain.run().checkEveryone();
        } finally {
            chain.finalState().ifPresent(ChatWorld::close);
        }
    }

    @Provide
    Arbitrary<ActionChain<ChatWorld>> sessions() {
        return Arbitraries.of(Backends.available()).flatMap(backend ->
                Arbitraries.of(TriggerMode.values()).flatMap(mode ->
                Arbitraries.of(1, 3, 64, 8192).flatMap(buffer ->
                Arbitraries.integers().between(1, 4).flatMap(loops ->
                        ActionChain.startWith(() -> new ChatWorld(backend, mode, buffer, loops))
                                .withAction(3, new Join())
                                .withAction(6, new Say())
                                .withAction(1, new Depart("leave", ChatWorld::leave))
                                .withAction(1, new Depart("drop", ChatWorld::drop))
                                .withMaxTransformations(25)))));
    }

    static final class Join extends Action.JustMutate<ChatWorld> {
        @Override
        public boolean precondition(ChatWorld world) {
            return world.size() < MAX_CLIENTS;
        }

        @Override
        public void mutate(ChatWorld world) {
            world.join();
        }

        @Override
        public String description() {
            return "join";
        }
    }

    static final class Say implements Action.Dependent<ChatWorld> {
        @Override
        public boolean precondition(ChatWorld world) {
            return world.size() > 0;
        }

        @Override
        public Arbitrary<Transformer<ChatWorld>> transformer(ChatWorld world) {
            Arbitrary<List<Integer>> speakers = Arbitraries.integers().between(0, MAX_CLIENTS - 1).list().ofMinSize(1).ofMaxSize(4);
            // short lines, lines of kilobytes, and lines up to the 64 KiB limit: across block boundaries,
            // past the 64 KiB publish mark, and four of them together past the slow-consumer limit
            Arbitrary<Integer> padding = Arbitraries.frequencyOf(
                    net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(0, 300)),
                    net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(1000, 9000)),
                    net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(60 * 1024, ChatWorld.MAX_LINE - 40)));
            return speakers.flatMap(who -> padding.map(pad ->
                    Transformer.mutate("say " + who + " +" + pad, w -> w.say(who, pad))));
        }
    }

    /** A member goes: {@code leave} waits for what it is owed and closes, {@code drop} resets at once. */
    static final class Depart implements Action.Dependent<ChatWorld> {
        private final String verb;
        private final BiConsumer<ChatWorld, Integer> departure;

        Depart(String verb, BiConsumer<ChatWorld, Integer> departure) {
            this.verb = verb;
            this.departure = departure;
        }

        @Override
        public boolean precondition(ChatWorld world) {
            return world.size() > 0;
        }

        @Override
        public Arbitrary<Transformer<ChatWorld>> transformer(ChatWorld world) {
            return Arbitraries.integers().between(0, MAX_CLIENTS - 1)
                    .map(i -> Transformer.mutate(verb + " " + i, w -> departure.accept(w, i)));
        }
    }
}
