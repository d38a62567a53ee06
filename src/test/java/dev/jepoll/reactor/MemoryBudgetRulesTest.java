package dev.jepoll.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The budget's arithmetic: passed only past it, relieved only at three quarters, shared fairly. */
class MemoryBudgetRulesTest {
    private int connections = 4;
    private final MemoryBudget budget = new MemoryBudget(1000, () -> connections);

    @Test
    void reachingTheBudgetIsNotPassingIt() {
        budget.add(1000);
        assertEquals(1000, budget.held());
        assertFalse(budget.exceeded());
        budget.add(1);
        assertTrue(budget.exceeded());
    }

    @Test
    void onceExceededItStaysSoUntilThreeQuartersAndNotAfter() {
        budget.add(1001);
        budget.add(-200); // 801
        assertTrue(budget.exceeded(), "under the budget is not enough");
        budget.add(-50); // 751
        assertTrue(budget.exceeded());
        budget.add(-1); // 750: the resume mark
        assertFalse(budget.exceeded());
        budget.add(249); // 999: back up, but not past the budget
        assertFalse(budget.exceeded());
    }

    @Test
    void addingNothingChangesNothing() {
        budget.add(0);
        assertEquals(0, budget.held());
        budget.add(1001);
        budget.add(-300);
        budget.add(0);
        assertEquals(701, budget.held());
        assertFalse(budget.exceeded());
    }

    @Test
    void theFairShareIsTheBudgetOverTheConnections() {
        assertEquals(250, budget.fairShare());
        connections = 3;
        assertEquals(333, budget.fairShare());
        connections = 0;
        assertEquals(1000, budget.fairShare(), "no connections: no division by zero");
        assertEquals(1000, budget.budget());
    }
}
