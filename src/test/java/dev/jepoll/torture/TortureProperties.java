package dev.jepoll.torture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;

/**
 * A few random points of the matrix on every test run (the long run is {@code make torture}):
 * each combination of backend, trigger mode, loops, budget, buffer and app must keep every
 * invariant of {@link Trial}. A failure names the seed and the command that replays it.
 */
class TortureProperties {

    @Property(tries = 6, shrinking = ShrinkingMode.OFF) // a seed has no smaller form worth trying
    void everyCombinationKeepsTheInvariants(@ForAll long seed) throws Exception {
        Combination c = Combinations.of(seed);
        List<String> violations = Trial.run(c);
        assertEquals(List.of(), violations, c + "; replay with: make torture SEED=" + seed);
    }
}
