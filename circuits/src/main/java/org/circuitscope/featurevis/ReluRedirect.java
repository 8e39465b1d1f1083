package org.circuitscope.featurevis;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.circuitscope.model.Layer;
import org.circuitscope.model.Model;
import org.circuitscope.ops.OpSet;

/**
 * Lucid's answer to dead units (after its redirected ReLU gradient): a unit behind a rectifier (ReLU, or a Clip
 * such as ReLU6) that is below its floor everywhere on the starting image gets no gradient at all and the
 * optimisation never starts. For the first steps, the objective's layers that are rectifier outputs (or
 * concatenations of them, as in SqueezeNet's fire modules) are replaced by {@code a + [z < floor]·(z − stopgrad(z))}:
 * the same values, but the gradient reaches the pre-activation z also where the rectifier is closed.
 */
final class ReluRedirect {
    private final Map<String, List<String>> preActivations = new LinkedHashMap<>();
    private final Map<String, Float> floors = new LinkedHashMap<>();

    ReluRedirect(Model model, Collection<String> layers) {
        for (String name : layers) {
            Layer l = model.layers().get(name);
            List<String> pre = new ArrayList<>();
            if (OpSet.rectifies(l.op(), l.attributes()) && l.inputs().size() == 1) {
                pre.add(l.inputs().get(0));
                floors.put(l.inputs().get(0), OpSet.closedBelow(l.op(), l.attributes()));
            } else if (l.op().equals("Concat") && !l.inputs().isEmpty()) {
                long channels = 0;
                for (String in : l.inputs()) {
                    Layer r = model.layers().get(in);
                    if (!OpSet.rectifies(r.op(), r.attributes()) || r.inputs().size() != 1) {
                        pre.clear();
                        break;
                    }
                    pre.add(r.inputs().get(0));
                    floors.put(r.inputs().get(0), OpSet.closedBelow(r.op(), r.attributes()));
                    channels += r.channels();
                }
                if (channels != l.channels()) {
                    pre.clear();
                }
            }
            if (!pre.isEmpty()) {
                preActivations.put(name, pre);
            }
        }
    }

    boolean applies() {
        return !preActivations.isEmpty();
    }

    /** The extra layers to compute. */
    Set<String> extraLayers() {
        Set<String> s = new LinkedHashSet<>();
        preActivations.values().forEach(s::addAll);
        return s;
    }

    /** Replaces the redirected layers in {@code acts} (which must hold the extra layers too). */
    void apply(Map<String, NDArray> acts) {
        for (Map.Entry<String, List<String>> e : preActivations.entrySet()) {
            NDArray a = acts.get(e.getKey());
            NDList parts = new NDList();
            NDList closedParts = new NDList();
            for (String p : e.getValue()) {
                NDArray z = acts.get(p);
                parts.add(z);
                closedParts.add(z.lt(floors.get(p)).toType(DataType.FLOAT32, false));
            }
            NDArray z = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 1);
            if (!z.getShape().equals(a.getShape())) {
                continue;
            }
            NDArray closed = closedParts.size() == 1 ? closedParts.get(0) : NDArrays.concat(closedParts, 1);
            acts.put(e.getKey(), a.add(z.sub(z.stopGradient()).mul(closed)));
        }
    }
}
