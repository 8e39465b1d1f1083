package org.circuitscope.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** A model's layers in execution order, by name, with who feeds whom. */
public final class LayerGraph {
    private final String modelName;
    private final Map<String, Layer> byName = new LinkedHashMap<>();
    private final Map<String, List<String>> consumers = new LinkedHashMap<>();
    private final Map<String, String> aliases;
    /** Each layer's dominators, itself included (computed when first asked for). */
    private Map<String, java.util.Set<String>> dominators;

    LayerGraph(String modelName, List<Layer> layers, Map<String, String> aliases) {
        this.modelName = modelName;
        for (Layer l : layers) {
            byName.put(l.name(), l);
            consumers.put(l.name(), new ArrayList<>());
        }
        for (Layer l : layers) {
            for (String in : l.inputs()) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(l.name());
            }
        }
        this.aliases = Map.copyOf(aliases);
    }

    public List<Layer> all() {
        return List.copyOf(byName.values());
    }

    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    public boolean contains(String name) {
        return byName.containsKey(name) || aliases.containsKey(name);
    }

    /** The layer of that name (or node name); an unknown name fails with the closest known names. */
    public Layer get(String name) {
        Layer l = byName.get(name);
        if (l == null && aliases.containsKey(name)) {
            l = byName.get(aliases.get(name));
        }
        if (l == null) {
            throw new ModelException("no layer '" + name + "' in model '" + modelName + "'. Closest names: "
                    + String.join(", ", Names.closest(name, byName.keySet(), 5))
                    + " (list them all with model.layers().names() or %model layers)");
        }
        return l;
    }

    /** The layers that read this one. */
    public List<String> consumers(String name) {
        return Collections.unmodifiableList(consumers.getOrDefault(get(name).name(), List.of()));
    }

    /** The layers this one reads. */
    public List<String> inputs(String name) {
        return get(name).inputs();
    }

    /**
     * The nearest layer every path from the input to {@code name} passes through (its immediate dominator): a
     * convolution's input, or for a residual sum or a block's concatenation the layer the block starts from. Null
     * for the input itself.
     */
    public String dominator(String name) {
        Layer target = get(name);
        if (dominators == null) {
            dominators = new LinkedHashMap<>();
            for (Layer l : byName.values()) {
                java.util.Set<String> d = null;
                for (String in : l.inputs()) {
                    java.util.Set<String> p = dominators.get(in);
                    if (p == null) {
                        continue;
                    }
                    if (d == null) {
                        d = new java.util.LinkedHashSet<>(p);
                    } else {
                        d.retainAll(p);
                    }
                }
                java.util.Set<String> own = d == null ? new java.util.LinkedHashSet<>() : d;
                own.add(l.name());
                dominators.put(l.name(), own);
            }
        }
        // the dominators of a layer form a chain; the immediate one is the latest in execution order
        String best = null;
        int bestIndex = -1;
        List<String> order = names();
        for (String d : dominators.get(target.name())) {
            int i = order.indexOf(d);
            if (!d.equals(target.name()) && i > bestIndex) {
                best = d;
                bestIndex = i;
            }
        }
        return best;
    }

    /** The layer table: name, op, output shape, channels, parameter count, inputs. */
    public Table table() {
        StringColumn name = StringColumn.create("layer");
        StringColumn op = StringColumn.create("op");
        StringColumn shape = StringColumn.create("output shape");
        LongColumn channels = LongColumn.create("channels");
        LongColumn params = LongColumn.create("parameters");
        StringColumn inputs = StringColumn.create("inputs");
        IntColumn index = IntColumn.create("#");
        int i = 0;
        for (Layer l : byName.values()) {
            index.append(i++);
            name.append(l.name());
            op.append(l.op());
            shape.append(Arrays.toString(l.shape()));
            channels.append(l.channels());
            params.append(l.parameterCount());
            inputs.append(String.join(", ", l.inputs()));
        }
        return Table.create(modelName + " layers", index, name, op, shape, channels, params, inputs);
    }

    @Override
    public String toString() {
        return byName.size() + " layers: " + String.join(", ", byName.keySet());
    }
}
