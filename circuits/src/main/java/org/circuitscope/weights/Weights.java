package org.circuitscope.weights;

import java.util.HashMap;
import java.util.Map;
import org.circuitscope.model.Layer;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Unit;
import org.circuitscope.progress.Progress;
import org.circuitscope.tensor.Tensor;

/**
 * Reading a network's weights, as in "Visualizing Weights" (Voss et al., 2021):
 * <ul>
 * <li>{@link #kernel}: the k×k kernel from one input channel to one unit, as a heatmap and a table;</li>
 * <li>{@link #into}: all weights into a unit from a layer (its own kernels, or expanded weights from further
 * up);</li>
 * <li>{@link #of}: a unit's strongest inputs as small multiples, optionally with thumbnails;</li>
 * <li>{@link #expanded}: the expanded weights between units of non-adjacent layers.</li>
 * </ul>
 * A unit of a ReLU or Concat output is traced to the convolution that computes it ({@link ConvChannel}).
 */
public final class Weights {
    private final Model model;
    private final Unit.Channel unit;
    private String from;
    private int top = 12;
    private Thumbnails thumbnails = Thumbnails.none();
    private Map<String, ExpandedWeights> cache = new HashMap<>();

    private Weights(Model model, Unit.Channel unit) {
        this.model = model;
        this.unit = unit;
    }

    /** The strongest inputs of {@code unit}: configure, then {@link #render}. */
    public static Weights of(Model model, Unit.Channel unit) {
        return new Weights(model, unit);
    }

    public static Weights of(Model model, String unit) {
        return new Weights(model, channel(Unit.parse(unit)));
    }

    static Unit.Channel channel(Unit u) {
        if (u instanceof Unit.Channel c) {
            return c;
        }
        throw new ModelException("weights are read per channel: give layer:channel, not " + u);
    }

    /** Read the inputs from this upstream layer (expanded weights when it is not the convolution's input). */
    public Weights from(String layer) {
        this.from = layer;
        return this;
    }

    /** How many inputs to show (the strongest by L2 norm), split into excitatory and inhibitory. */
    public Weights top(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("top must be at least 1, not " + n);
        }
        this.top = n;
        return this;
    }

    public Weights thumbnails(Thumbnails t) {
        this.thumbnails = t == null ? Thumbnails.none() : t;
        return this;
    }

    /** Reuses (and fills) these expanded weights, by layer pair, when many units read the same layers. */
    public Weights cache(Map<String, ExpandedWeights> expanded) {
        this.cache = expanded == null ? new HashMap<>() : expanded;
        return this;
    }

    public UnitWeights render() {
        return render(Progress.NONE);
    }

    public UnitWeights render(Progress progress) {
        UnitInputs inputs = into(model, unit, from, cache);
        return new UnitWeights(inputs, inputs.top(top), thumbnails, progress);
    }

    // ---- static readers

    /** The weights into {@code unit} from its convolution's input layer (the conv's own kernels). */
    public static UnitInputs into(Model model, Unit.Channel unit) {
        return into(model, unit, null);
    }

    /**
     * The weights into {@code unit} from {@code fromLayer}: the convolution's own kernels when it reads that layer
     * (or when {@code fromLayer} is null), else expanded weights through the path between them.
     */
    public static UnitInputs into(Model model, Unit.Channel unit, String fromLayer) {
        return into(model, unit, fromLayer, new HashMap<>());
    }

    /** As {@link #into(Model, Unit.Channel, String)}, reusing expanded weights from {@code cache} (by layer pair). */
    public static UnitInputs into(Model model, Unit.Channel unit, String fromLayer,
                                  Map<String, ExpandedWeights> cache) {
        Layer target = model.layers().get(unit.layer());
        ConvChannel.checkChannel(target, unit.channel());
        Unit.Channel u = Unit.channel(target.name(), unit.channel());
        String from = fromLayer == null ? null : model.layers().get(fromLayer).name();
        ConvChannel cc = null;
        try {
            cc = ConvChannel.resolve(model.layers(), u);
        } catch (ModelException e) {
            if (from == null) {
                throw e;
            }
        }
        if (cc != null && (from == null || from.equals(cc.input()))) {
            Layer conv = model.layers().get(cc.conv());
            if (conv.attribute("group", new long[] {1})[0] == 1) {
                Tensor w = model.weights(cc.conv());
                int per = (int) (w.dim(1) * w.dim(2) * w.dim(3));
                float[] row = java.util.Arrays.copyOfRange(w.data(), cc.channel() * per, (cc.channel() + 1) * per);
                return new UnitInputs(u, cc.input(), new Tensor(new long[] {w.dim(1), w.dim(2), w.dim(3)}, row),
                        false, cc.conv() + " channel " + cc.channel());
            }
            from = cc.input();
        }
        if (cc != null && !from.equals(cc.conv()) && !cc.through().contains(from)) {
            try {
                SubNetwork.between(model, from, cc.conv());
            } catch (ModelException e) {
                throw new ModelException("there is no path from layer '" + from + "' to unit " + u + ": its channel "
                        + "is channel " + cc.channel() + " of convolution '" + cc.conv() + "', which does not read '"
                        + from + "', directly or through other layers (" + e.getMessage() + ")", e);
            }
        }
        String key = from + "\u0000" + target.name();
        ExpandedWeights ew = cache.get(key);
        if (ew == null) {
            ew = ExpandedWeights.compose(model, from, target.name());
            cache.put(key, ew);
        }
        int steps = SubNetwork.between(model, from, target.name()).layers().size();
        return new UnitInputs(u, from, ew.row(unit.channel(), true), true,
                "expanded weights through " + steps + " layers");
    }

    /** The kernel from channel {@code inputChannel} of the unit's convolution input to {@code unit}. */
    public static KernelView kernel(Model model, Unit.Channel unit, int inputChannel) {
        UnitInputs in = into(model, unit);
        return new KernelView(in.input(inputChannel), unit, in.source());
    }

    public static KernelView kernel(Model model, String unit, int inputChannel) {
        return kernel(model, channel(Unit.parse(unit)), inputChannel);
    }

    /** The expanded weights from unit {@code from} to unit {@code to} (layers need not be adjacent). */
    public static KernelView expanded(Model model, Unit.Channel from, Unit.Channel to) {
        UnitInputs in = into(model, to, from.layer());
        return new KernelView(in.input(from.channel()), to, in.source());
    }

    public static KernelView expanded(Model model, String from, String to) {
        return expanded(model, channel(Unit.parse(from)), channel(Unit.parse(to)));
    }
}
