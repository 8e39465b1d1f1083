package org.circuitscope.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An executable computation graph: one image input, named constants (the weights, owned by the model's manager)
 * and nodes in topological order. Running it computes only the nodes the requested values depend on, and frees
 * intermediate arrays once nothing later needs them.
 */
public final class Graph {
    private final String input;
    private final Map<String, Value> constants;
    private final List<Node> nodes;
    private final Map<String, Node> producers = new HashMap<>();
    private final List<String> outputs;

    public Graph(String input, Map<String, Value> constants, List<Node> nodes, List<String> outputs) {
        this.input = input;
        this.constants = Map.copyOf(constants);
        this.nodes = List.copyOf(sorted(input, constants.keySet(), nodes));
        for (Node n : this.nodes) {
            for (String o : n.outputs()) {
                producers.put(o, n);
            }
        }
        this.outputs = List.copyOf(outputs);
    }

    public String input() {
        return input;
    }

    public List<Node> nodes() {
        return nodes;
    }

    public List<String> outputs() {
        return outputs;
    }

    public Map<String, Value> constants() {
        return constants;
    }

    /** The node computing a value, or null for the input and constants. */
    public Node producer(String value) {
        return producers.get(value);
    }

    public boolean hasValue(String name) {
        return producers.containsKey(name) || constants.containsKey(name) || name.equals(input);
    }

    /**
     * Runs the graph on {@code x} (already in the model's own input space) and returns the requested values. Every
     * array created is attached to {@code manager}; constants are read, never changed.
     */
    public Map<String, NDArray> run(NDArray x, Collection<String> wanted, NDManager manager) {
        return run(x, Map.of(), wanted, manager);
    }

    /** Like {@link #run(NDArray, Collection, NDManager)}, with some values given (see {@link #runValues}). */
    public Map<String, NDArray> run(NDArray x, Map<String, NDArray> given, Collection<String> wanted,
                                    NDManager manager) {
        Map<String, Value> values = runValues(x, given, wanted, manager);
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, Value> e : values.entrySet()) {
            Value v = e.getValue();
            out.put(e.getKey(), v instanceof Value.Array a ? a.array() : intsToArray(v.ints(), manager));
        }
        return out;
    }

    /** Like {@link #run}, but integer values (shapes, indices) come back as they are. */
    public Map<String, Value> runValues(NDArray x, Collection<String> wanted, NDManager manager) {
        return runValues(x, Map.of(), wanted, manager);
    }

    /**
     * Runs the graph with some values given instead of computed: nodes that only lead to given values are skipped,
     * and everything downstream reads the given arrays (so gradients flow back to them, not past them). Values not
     * downstream of a given one are computed from {@code x} as usual.
     */
    public Map<String, Value> runValues(NDArray x, Map<String, NDArray> given, Collection<String> wanted,
                                        NDManager manager) {
        for (String g : given.keySet()) {
            if (!producers.containsKey(g)) {
                throw new GraphException("no node produces '" + g + "', so it cannot be given");
            }
        }
        Set<String> want = new HashSet<>(wanted);
        List<Node> plan = plan(want, given.keySet());
        Map<String, Integer> lastUse = new HashMap<>();
        for (int i = 0; i < plan.size(); i++) {
            for (String in : plan.get(i).inputs()) {
                lastUse.put(in, i);
            }
        }
        Map<String, Value> env = new HashMap<>();
        env.put(input, new Value.Array(x));
        given.forEach((k, v) -> env.put(k, new Value.Array(v)));
        for (int i = 0; i < plan.size(); i++) {
            Node node = plan.get(i);
            Value[] args = new Value[node.inputs().size()];
            for (int k = 0; k < args.length; k++) {
                String name = node.inputs().get(k);
                if (name.isEmpty()) {
                    continue;
                }
                Value v = env.containsKey(name) ? env.get(name) : constants.get(name);
                if (v == null) {
                    throw new GraphException("node '" + node.name() + "' (" + node.opType() + ") needs '" + name
                            + "', which nothing in the graph produces");
                }
                args[k] = v;
            }
            Value[] results = apply(node, args, manager);
            for (int k = 0; k < node.outputs().size() && k < results.length; k++) {
                env.put(node.outputs().get(k), results[k]);
            }
            for (String in : node.inputs()) {
                if (lastUse.getOrDefault(in, -1) == i && !want.contains(in) && !in.equals(input)
                        && !given.containsKey(in)) {
                    Value dead = env.remove(in);
                    if (dead instanceof Value.Array a && a.array().getManager() == manager
                            && env.values().stream().noneMatch(v -> v instanceof Value.Array b
                            && b.array() == a.array())) {
                        a.array().close();
                    }
                }
            }
        }
        Map<String, Value> out = new LinkedHashMap<>();
        for (String w : wanted) {
            Value v = w.equals(input) ? new Value.Array(x) : env.get(w);
            if (v == null) {
                v = constants.get(w);
            }
            if (v == null) {
                throw new GraphException("no value named '" + w + "' in the graph");
            }
            out.put(w, v);
        }
        return out;
    }

    private static Value[] apply(Node node, Value[] args, NDManager manager) {
        Value[] results;
        try {
            results = node.op().apply(args, manager);
        } catch (GraphException e) {
            throw new GraphException("node '" + node.name() + "' (" + node.opType() + "): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new GraphException("node '" + node.name() + "' (" + node.opType() + ") failed on inputs "
                    + describe(args) + ": " + e.getMessage(), e);
        }
        for (Value r : results) {
            // A result that is one of the inputs (Identity, Dropout) keeps its owner: it may be a weight.
            if (r instanceof Value.Array a && a.array().getManager() != manager && !isInput(a.array(), args)) {
                a.array().attach(manager);
            }
        }
        return results;
    }

    private static boolean isInput(NDArray array, Value[] args) {
        for (Value v : args) {
            if (v instanceof Value.Array a && a.array() == array) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Value[] args) {
        List<String> parts = new ArrayList<>();
        for (Value v : args) {
            parts.add(v == null ? "-" : v instanceof Value.Array a ? a.array().getShape().toString() : v.toString());
        }
        return parts.toString();
    }

    private static NDArray intsToArray(Value.Ints ints, NDManager manager) {
        return manager.create(ints.data(), new ai.djl.ndarray.types.Shape(ints.shape()));
    }

    /** The nodes needed for {@code want}, in execution order. */
    public List<Node> plan(Set<String> want) {
        return plan(want, Set.of());
    }

    /** The nodes needed for {@code want} when the values in {@code given} are already known. */
    public List<Node> plan(Set<String> want, Set<String> given) {
        Set<Node> needed = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(want);
        while (!todo.isEmpty()) {
            String v = todo.pop();
            if (given.contains(v)) {
                continue;
            }
            Node n = producers.get(v);
            if (n != null && needed.add(n)) {
                todo.addAll(n.inputs());
            }
        }
        return nodes.stream().filter(needed::contains).collect(Collectors.toList());
    }

    private static List<Node> sorted(String input, Set<String> constantNames, List<Node> nodes) {
        Set<String> available = new HashSet<>(constantNames);
        available.add(input);
        available.add("");
        List<Node> order = new ArrayList<>(nodes.size());
        List<Node> pending = new ArrayList<>(nodes);
        boolean progress = true;
        while (!pending.isEmpty() && progress) {
            progress = false;
            for (var it = pending.iterator(); it.hasNext(); ) {
                Node n = it.next();
                if (available.containsAll(n.inputs())) {
                    order.add(n);
                    available.addAll(n.outputs());
                    it.remove();
                    progress = true;
                }
            }
        }
        if (!pending.isEmpty()) {
            Node n = pending.get(0);
            List<String> missing = n.inputs().stream().filter(i -> !available.contains(i)).toList();
            throw new GraphException("node '" + n.name() + "' (" + n.opType() + ") reads " + missing
                    + ", which no node produces (the graph has a cycle or a missing input)");
        }
        return order;
    }
}
