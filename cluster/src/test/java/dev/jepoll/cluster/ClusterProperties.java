package dev.jepoll.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The law of the cluster, against a real broker and three nodes: while the broker is up, every
 * client, on whichever node, hears every line said on any node, each sender's lines in the
 * order they were said, none twice and none missing.
 */
class ClusterProperties {
    private static NatsBroker broker;
    private static final List<Node> nodes = new ArrayList<>();
    private static final AtomicInteger tries = new AtomicInteger();

    @BeforeContainer
    static void startCluster() throws Exception {
        broker = NatsBroker.launch();
        for (int i = 0; i < 3; i++) {
            nodes.add(new Node(broker.url(), "law", 2));
        }
    }

    @AfterContainer
    static void stopCluster() throws Exception {
        for (Node node : nodes) {
            node.close();
        }
        nodes.clear();
        if (broker != null) {
            broker.close();
        }
    }

    @Property(tries = 8)
    void everyClientHearsEveryLineOnceInEachSendersOrder(
            @ForAll @Size(min = 2, max = 6) List<@IntRange(min = 0, max = 2) Integer> placement,
            @ForAll("lines") List<List<String>> said) throws Exception {
        int round = tries.incrementAndGet();
        List<LineClient> clients = new ArrayList<>();
        int[] perNode = new int[3];
        try {
            for (int node : placement) {
                clients.add(new LineClient(nodes.get(node).port()));
                perNode[node]++;
            }
            for (int n = 0; n < 3; n++) {
                nodes.get(n).awaitMembers(perNode[n]);
            }
            List<List<String>> expected = new ArrayList<>();
            int total = 0;
            for (int c = 0; c < clients.size(); c++) {
                List<String> lines = new ArrayList<>();
                List<String> texts = said.get(c % said.size());
                for (int i = 0; i < texts.size(); i++) {
                    lines.add("[r" + round + "c" + c + "] " + i + " " + texts.get(i));
                }
                expected.add(lines);
                total += lines.size();
            }
            for (int c = 0; c < clients.size(); c++) { // one write each, all at once: they race, as users do
                clients.get(c).sayAll(expected.get(c));
            }
            String roundTag = "[r" + round + "c";
            for (int r = 0; r < clients.size(); r++) {
                List<String> heard = clients.get(r).await(l -> l.startsWith(roundTag), total, 20);
                assertEquals(total, heard.size(), "client " + r + " on node " + placement.get(r) + " heard a line twice");
                for (int s = 0; s < clients.size(); s++) {
                    String tag = "[r" + round + "c" + s + "] ";
                    assertEquals(expected.get(s), heard.stream().filter(l -> l.startsWith(tag)).toList(),
                            "client " + r + " (node " + placement.get(r) + ") hearing client " + s + " (node "
                                    + placement.get(s) + ")");
                }
            }
        } finally {
            for (LineClient c : clients) {
                c.close();
            }
            for (int n = 0; n < 3; n++) {
                nodes.get(n).awaitMembers(0);
            }
        }
        for (Node node : nodes) {
            assertEquals(0, node.stats().gaps(), "gaps with the broker up: " + node.stats().summary());
            assertEquals(0, node.stats().duplicates(), node.stats().summary());
            assertEquals(0, node.stats().dropped(), node.stats().summary());
        }
    }

    @Provide
    Arbitrary<List<List<String>>> lines() {
        Arbitrary<String> text = Arbitraries.strings().withChars("abcxyz 012 안녕하세요 ,.!?").ofMaxLength(300);
        return text.list().ofMinSize(1).ofMaxSize(40).list().ofMinSize(1).ofMaxSize(6);
    }
}
