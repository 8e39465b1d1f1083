package org.circuitscope.model;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.circuitscope.graph.Graph;
import org.circuitscope.graph.Node;
import org.circuitscope.graph.Value;

/**
 * Exporters write the batch size they traced with into Reshape targets ({@code [1, 1001]} before a classifier's
 * softmax), so the graph would refuse any other batch. circuitscope runs batches, so a Reshape whose constant target
 * starts with a literal 1 and has no other inferred dimension reads that 1 as "the batch" (-1): identical at batch 1,
 * and the obvious meaning at batch N.
 */
final class BatchGeneralisation {
    private BatchGeneralisation() {
    }

    static Graph apply(Graph graph, NDManager manager) {
        Map<String, Value> constants = new LinkedHashMap<>(graph.constants());
        List<Node> nodes = new ArrayList<>();
        boolean changed = false;
        for (Node n : graph.nodes()) {
            if (n.op().equals("Reshape") && !graph.isOpaque(n) && n.inputs().size() > 1
                    && constants.get(n.inputs().get(1)) instanceof Value.Ints target && literalBatch(target.data())) {
                long[] t = target.data().clone();
                t[0] = -1;
                String name = n.inputs().get(1) + "/any_batch";
                constants.put(name, Value.Ints.vector(t));
                nodes.add(new Node(n.name(), n.op(), List.of(n.inputs().get(0), name), n.outputs(), n.attributes()));
                changed = true;
            } else {
                nodes.add(n);
            }
        }
        return changed ? new Graph(graph.input(), constants, nodes, graph.outputs()) : graph;
    }

    private static boolean literalBatch(long[] t) {
        if (t.length < 2 || t[0] != 1) {
            return false;
        }
        for (int i = 1; i < t.length; i++) {
            if (t[i] == -1 || t[i] == 0) {
                return false;
            }
        }
        return true;
    }
}
