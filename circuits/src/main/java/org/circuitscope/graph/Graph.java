package org.circuitscope.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
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
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import org.circuitscope.ops.Linearity;
import org.circuitscope.ops.OpDefinition;
import org.circuitscope.ops.OpSet;

/**
 * An executable computation graph in circuitscope's op vocabulary: one input, named constants (the weights, owned
 * by the model's manager) and nodes in topological order, each bound to its implementation when the graph is
 * built. Running it computes only the nodes the requested values depend on, frees intermediate arrays once nothing
 * later needs them, and runs each op in its own {@link NDScope}, so arrays an op creates on the way (also those
 * DJL attaches to a weight's long-lived manager) are freed when it returns.
 */
public final class Graph {
    private final String input;
    private final Map<String, Value> constants;
    private final List<Node> nodes;
    private final Map<String, Node> producers = new HashMap<>();
    private final Map<Node, Op> bound = new HashMap<>();
    private final Map<String, Op> opaque;
    private final List<String> outputs;

    public Graph(String input, Map<String, Value> constants, List<Node> nodes, List<String> outputs) {
        this(input, constants, nodes, outputs, Map.of());
    }

    /**
     * A graph in which the nodes named in {@code opaque} run an importer's own implementation (a TorchScript
     * module): they are not in the op vocabulary, so no consumer but the executor can read them.
     */
    public Graph(String input, Map<String, Value> constants, List<Node> nodes, List<String> outputs,
                 Map<String, Op> opaque) {
        this.input = input;
        this.constants = Map.copyOf(constants);
        this.opaque = Map.copyOf(opaque);
        this.nodes = List.copyOf(sorted(input, constants.keySet(), nodes));
        for (Node n : this.nodes) {
            for (String o : n.outputs()) {
                if (producers.put(o, n) != null || o.equals(input) || constants.containsKey(o)) {
                    throw new GraphException("value '" + o + "' is produced twice (by " + n + " and another node "
                            + "or the input/weights); a graph names each value once");
                }
            }
        }
        for (Node n : this.nodes) {
            Op op = opaque.get(n.name());
            bound.put(n, op != null ? op : OpSet.bind(n));
        }
        checkComputed();
        for (String o : outputs) {
            if (!hasValue(o)) {
                throw new GraphException("the graph declares an output '" + o + "' that no node produces");
            }
        }
        this.outputs = List.copyOf(outputs);
    }

    /** Refuses reads of outputs an op does not compute (Dropout's mask, MaxPool's indices). */
    private void checkComputed() {
        for (Node n : nodes) {
            for (String in : n.inputs()) {
                Node p = producers.get(in);
                if (p != null && !opaque.containsKey(p.name())) {
                    int k = p.outputs().indexOf(in);
                    if (k >= OpSet.definition(p.op()).computedOutputs()) {
                        throw new GraphException(n + " reads output " + k + " ('" + in + "') of " + p
                                + ", which circuitscope does not compute (it runs inference; only the first "
                                + OpSet.definition(p.op()).computedOutputs() + " output(s) exist)");
                    }
                }
            }
        }
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

    /** Whether the value is an output of its node that the node's op computes (so it can be read). */
    public boolean computes(String value) {
        Node p = producers.get(value);
        if (p == null) {
            return hasValue(value);
        }
        return opaque.containsKey(p.name()) || p.outputs().indexOf(value) < OpSet.definition(p.op()).computedOutputs();
    }

    /** Whether the node runs an importer's own implementation instead of an op of the vocabulary. */
    public boolean isOpaque(Node node) {
        return opaque.containsKey(node.name());
    }

    /**
     * The same graph with every node whose inputs are all constants computed once (on {@code manager}, without
     * recording gradients) and kept as a constant: weight-producing subgraphs (ConstantOfShape, a transposed or
     * reshaped initializer, shape arithmetic on weights) cost nothing when the model runs.
     */
    public Graph foldConstants(NDManager manager) {
        Map<String, Value> folded = new LinkedHashMap<>(constants);
        List<Node> kept = new ArrayList<>();
        boolean changed = false;
        for (Node n : nodes) {
            boolean constant = !opaque.containsKey(n.name()) && !n.inputs().isEmpty();
            for (String in : n.inputs()) {
                constant &= in.isEmpty() || folded.containsKey(in);
            }
            if (!constant) {
                kept.add(n);
                continue;
            }
            Value[] args = new Value[n.inputs().size()];
            for (int k = 0; k < args.length; k++) {
                args[k] = n.inputs().get(k).isEmpty() ? null : folded.get(n.inputs().get(k));
            }
            Value[] results = apply(n, bound.get(n), args, manager);
            for (int k = 0; k < n.outputs().size() && k < results.length; k++) {
                Value v = results[k];
                if (v instanceof Value.Array a && isInput(a.array(), args)) {
                    v = new Value.Array(a.array().duplicate());
                }
                folded.put(n.outputs().get(k), v);
            }
            changed = true;
        }
        if (!changed) {
            return this;
        }
        Set<String> used = new HashSet<>(outputs);
        for (Node n : kept) {
            used.addAll(n.inputs());
        }
        Map<String, Value> live = new LinkedHashMap<>();
        for (Map.Entry<String, Value> e : folded.entrySet()) {
            if (used.contains(e.getKey())) {
                live.put(e.getKey(), e.getValue());
            } else if (e.getValue() instanceof Value.Array a) {
                a.array().close();
            }
        }
        return new Graph(input, live, kept, outputs, opaque);
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
        return arrays(runValues(x, given, wanted, manager), manager);
    }

    private static Map<String, NDArray> arrays(Map<String, Value> values, NDManager manager) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, Value> e : values.entrySet()) {
            Value v = e.getValue();
            out.put(e.getKey(), v == null ? null : v instanceof Value.Array a ? a.array()
                    : manager.create(v.ints().data(), new Shape(v.ints().shape())));
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
        checkGiven(given);
        List<Node> plan = plan(new HashSet<>(wanted), given.keySet());
        Map<String, Value> env = new HashMap<>();
        if (x != null) {
            env.put(input, new Value.Array(x));
        }
        given.forEach((k, v) -> env.put(k, new Value.Array(v)));
        execute(plan, env, wanted, given.keySet(), manager, null, null);
        return collect(wanted, env, false);
    }

    /**
     * Runs only the part of the graph downstream of the {@code given} values (an upstream layer's activations and
     * the side inputs a path reads) up to {@code wanted}, as the network is ({@code linear} false: a value the path
     * reads that is neither given nor computed from given values is an error naming it) or linearised ({@link
     * OpSet#bindLinear}: such values count as zero, biases are dropped; {@code channels} tells the width of a zero
     * Concat part). Results are null where the linearised value is zero.
     */
    public Map<String, NDArray> runDownstream(Map<String, NDArray> given, Collection<String> wanted, boolean linear,
                                              ToLongFunction<String> channels, NDManager manager) {
        checkGiven(given);
        Set<String> downstream = downstreamOf(given.keySet());
        List<Node> plan = plan(new HashSet<>(wanted), given.keySet()).stream()
                .filter(n -> n.outputs().stream().anyMatch(downstream::contains)).toList();
        Map<String, Value> env = new HashMap<>();
        given.forEach((k, v) -> env.put(k, new Value.Array(v)));
        execute(plan, env, wanted, given.keySet(), manager, linear ? new HashMap<>() : null, channels);
        return arrays(collect(wanted, env, linear), manager);
    }

    private void checkGiven(Map<String, NDArray> given) {
        for (String g : given.keySet()) {
            if (!producers.containsKey(g) && !g.equals(input)) {
                throw new GraphException("no node produces '" + g + "', so it cannot be given");
            }
        }
    }

    private Set<String> downstreamOf(Set<String> values) {
        Set<String> down = new HashSet<>(values);
        for (Node n : nodes) {
            if (n.inputs().stream().anyMatch(down::contains)) {
                down.addAll(n.outputs());
            }
        }
        return down;
    }

    /**
     * Executes {@code plan} into {@code env}. With {@code linearOps} (a cache of linearised ops) the nodes run
     * linearised and a value neither in {@code env} nor a constant is zero (null).
     */
    private void execute(List<Node> plan, Map<String, Value> env, Collection<String> wanted, Set<String> given,
                         NDManager manager, Map<Node, Op> linearOps, ToLongFunction<String> channels) {
        Set<String> want = new HashSet<>(wanted);
        Map<String, Integer> lastUse = new HashMap<>();
        for (int i = 0; i < plan.size(); i++) {
            for (String in : plan.get(i).inputs()) {
                lastUse.put(in, i);
            }
        }
        boolean linear = linearOps != null;
        for (int i = 0; i < plan.size(); i++) {
            Node node = plan.get(i);
            Value[] args = new Value[node.inputs().size()];
            boolean anyActivation = false;
            for (int k = 0; k < args.length; k++) {
                String name = node.inputs().get(k);
                if (name.isEmpty()) {
                    continue;
                }
                Value v = env.containsKey(name) ? env.get(name) : constants.get(name);
                if (v == null && !env.containsKey(name)) {
                    if (!linear) {
                        throw new GraphException(node + " needs '" + name + "', which "
                                + (producers.containsKey(name) || name.equals(input)
                                ? "is not given and not computed from what is given"
                                : "nothing in the graph produces"));
                    }
                }
                if (linear && constants.containsKey(name) && linearity(node) == Linearity.SUM) {
                    v = null;
                }
                anyActivation |= v != null && !constants.containsKey(name);
                args[k] = v;
            }
            Value[] results;
            if (linear) {
                results = anyActivation ? applyLinear(node, args, manager, linearOps, channels)
                        : new Value[node.outputs().size()];
            } else {
                results = apply(node, bound.get(node), args, manager);
            }
            for (int k = 0; k < node.outputs().size() && k < results.length; k++) {
                env.put(node.outputs().get(k), results[k]);
            }
            for (String in : node.inputs()) {
                if (lastUse.getOrDefault(in, -1) == i && !want.contains(in) && !in.equals(input)
                        && !given.contains(in)) {
                    Value dead = env.remove(in);
                    if (dead instanceof Value.Array a && a.array().getManager() == manager
                            && env.values().stream().noneMatch(v -> v instanceof Value.Array b
                            && b.array() == a.array())) {
                        a.array().close();
                    }
                }
            }
        }
    }

    private Linearity linearity(Node node) {
        return opaque.containsKey(node.name()) ? Linearity.NONE : OpSet.definition(node.op()).linearity();
    }

    private Value[] applyLinear(Node node, Value[] args, NDManager manager, Map<Node, Op> cache,
                                ToLongFunction<String> channels) {
        if (opaque.containsKey(node.name())) {
            throw new GraphException(node + " is an opaque module; weights cannot be expanded through it");
        }
        OpDefinition d = OpSet.definition(node.op());
        if (d.linearity() == Linearity.SCALE && !node.op().equals("BatchNormalization")) {
            int activations = 0;
            for (int k = 0; k < args.length; k++) {
                if (args[k] != null && !constants.containsKey(node.inputs().get(k))) {
                    activations++;
                }
            }
            if (activations > 1) {
                throw new GraphException(node + " multiplies two activations (a gate, as in squeeze-excite), which "
                        + "is not linear; weights cannot be expanded through it");
            }
            if (node.op().equals("Div") && args[1] != null && !constants.containsKey(node.inputs().get(1))) {
                throw new GraphException(node + " divides by an activation, which is not linear");
            }
            for (Value a : args) {
                if (a == null) {
                    return new Value[node.outputs().size()];
                }
            }
        } else if (d.linearity() == Linearity.CONCAT) {
            fillConcat(node, args, channels, manager);
        } else if (d.linearity() != Linearity.SUM && args[0] == null) {
            return new Value[node.outputs().size()];
        }
        Op op = cache.computeIfAbsent(node, OpSet::bindLinear);
        return apply(node, op, args, manager);
    }

    /** Zero-fills the parts of a linearised channel Concat that are off the path. */
    private static void fillConcat(Node node, Value[] args, ToLongFunction<String> channels, NDManager manager) {
        NDArray like = null;
        for (Value v : args) {
            if (v instanceof Value.Array a) {
                like = a.array();
                break;
            }
        }
        long axis = node.attributes().getInt("axis", 1);
        if (like == null) {
            return;
        }
        if (axis != 1 && axis != 1 - like.getShape().dimension()) {
            throw new GraphException(node + " concatenates along axis " + axis + ", not channels; weights cannot be "
                    + "expanded through it");
        }
        for (int k = 0; k < args.length; k++) {
            if (args[k] == null) {
                long[] s = like.getShape().getShape().clone();
                s[1] = channels.applyAsLong(node.inputs().get(k));
                args[k] = new Value.Array(manager.zeros(new Shape(s), like.getDataType()));
            }
        }
    }

    private Map<String, Value> collect(Collection<String> wanted, Map<String, Value> env, boolean nullable) {
        Map<String, Value> out = new LinkedHashMap<>();
        for (String w : wanted) {
            Value v = env.get(w);
            if (v == null) {
                v = constants.get(w);
            }
            if (v == null && !(nullable && hasValue(w))) {
                throw new GraphException(hasValue(w) ? "value '" + w + "' was not computed (it does not follow from "
                        + "what was given)" : "no value named '" + w + "' in the graph");
            }
            out.put(w, v);
        }
        return out;
    }

    private static Value[] apply(Node node, Op op, Value[] args, NDManager manager) {
        Value[] results;
        try (NDScope scope = new NDScope()) {
            try {
                results = op.apply(args, manager);
            } catch (UnsupportedVariantException e) {
                throw new UnsupportedVariantException(node + ": " + e.getMessage(), e);
            } catch (GraphException e) {
                throw new GraphException(node + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new GraphException(node + " failed on inputs " + describe(args) + ": " + e.getMessage(), e);
            }
            for (Value r : results) {
                // A result that is one of the inputs (Identity, Dropout) keeps its owner: it may be a weight.
                if (r instanceof Value.Array a && !isInput(a.array(), args)) {
                    NDScope.unregister(a.array());
                    if (a.array().getManager() != manager) {
                        a.array().attach(manager);
                    }
                }
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
            throw new GraphException(n + " reads " + missing
                    + ", which no node produces (the graph has a cycle or a missing input)");
        }
        return order;
    }
}
