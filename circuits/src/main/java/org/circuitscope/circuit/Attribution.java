package org.circuitscope.circuit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Map;
import org.circuitscope.data.BatchReader;
import org.circuitscope.data.ImageSource;
import org.circuitscope.data.Sample;
import org.circuitscope.image.Images;
import org.circuitscope.model.DjlSetup;
import org.circuitscope.model.Layer;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Unit;
import org.circuitscope.progress.Progress;
import org.circuitscope.tensor.Tensor;

/**
 * How much each channel of an earlier layer contributes to a unit, on data: the mean over images of
 * Σ<sub>positions</sub> a ⊙ ∂u/∂a, where u is the unit's channel averaged over its positions (for a class logit, the
 * logit itself; for a neuron {@code layer:c@y,x} or a feature at a position {@code layer/dict:i@y,x}, its value
 * there; for a dictionary feature, its map averaged over positions). Gradients go through the whole network as it is (ReLUs, pools, skip connections, the classifier),
 * so any layer between the input and the unit can be asked, including a class logit's inputs through global
 * pooling. Positive: the channel pushes the unit up on this data; negative: it holds it down.
 */
public final class Attribution {
    private final Model model;
    /** A channel, a neuron, a dictionary feature (its map averaged over positions) or a feature at a position. */
    private final Unit target;
    private String from;
    private int batchSize = 32;
    private int maxImages = Integer.MAX_VALUE;

    private Attribution(Model model, Unit target) {
        this.model = model;
        this.target = target;
    }

    /** Attribution to {@code unit} (e.g. {@code "logits:0"} or {@code "conv5:3"}). */
    public static Attribution of(Model model, String unit) {
        return of(model, unit, Map.of());
    }

    /** As {@link #of(Model, String)}, where {@code layer/name:index} names a feature of one of {@code dictionaries}. */
    public static Attribution of(Model model, String unit, Map<String, ? extends Unit.FeatureBasis> dictionaries) {
        return of(model, Unit.parse(unit, dictionaries));
    }

    /**
     * Attribution to a channel, a neuron ({@code layer:c@y,x}), a dictionary feature or a feature at a position
     * ({@code layer/dict:i@y,x}); a direction is refused.
     */
    public static Attribution of(Model model, Unit u) {
        if (u instanceof Unit.Feature f) {
            return of(model, f);
        }
        if (u instanceof Unit.Channel c) {
            return of(model, c);
        }
        Layer l = model.layers().get(u.layer());
        if (u instanceof Unit.Neuron n) {
            of(model, Unit.channel(l.name(), n.channel()));
            checkPosition(l, n.y(), n.x(), u);
            return new Attribution(model, Unit.neuron(l.name(), n.channel(), n.y(), n.x()));
        }
        if (u instanceof Unit.FeatureAt fa) {
            fa.feature().check(l.channels());
            checkPosition(l, fa.y(), fa.x(), u);
            return new Attribution(model, fa);
        }
        throw new ModelException("attribution needs a channel (layer:channel), a neuron (layer:channel@y,x) or a "
                + "dictionary feature (layer/dictionary:index, optionally @y,x), not '" + u + "'");
    }

    private static void checkPosition(Layer l, int y, int x, Unit u) {
        if (!l.spatial()) {
            throw new ModelException("layer '" + l.name() + "' has no positions, so " + u + " is not a unit of it");
        }
        if (y >= l.shape()[2] || x >= l.shape()[3]) {
            throw new ModelException("layer '" + l.name() + "' is " + l.shape()[2] + "×" + l.shape()[3]
                    + "; there is no position " + y + "," + x + " (for " + u + ")");
        }
    }

    /** Attribution to a dictionary feature: its map over the layer's positions, averaged. */
    public static Attribution of(Model model, Unit.Feature feature) {
        Layer l = model.layers().get(feature.layer());
        feature.check(l.channels());
        return new Attribution(model, feature);
    }

    public static Attribution of(Model model, Unit.Channel unit) {
        Layer l = model.layers().get(unit.layer());
        if (unit.channel() < 0 || unit.channel() >= l.channels()) {
            throw new ModelException("layer '" + l.name() + "' has " + l.channels() + " channels (0.."
                    + (l.channels() - 1) + "); there is no channel " + unit.channel());
        }
        return new Attribution(model, Unit.channel(l.name(), unit.channel()));
    }

    /** The earlier layer whose channels are credited. */
    public Attribution from(String layer) {
        this.from = model.layers().get(layer).name();
        if (from.equals(target.layer())) {
            throw new ModelException("'" + from + "' is the unit's own layer: attribute to an earlier layer");
        }
        return this;
    }

    public Attribution batchSize(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + n);
        }
        this.batchSize = n;
        return this;
    }

    /** Use at most this many images of the source. */
    public Attribution limit(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("limit must be >= 1, got " + n);
        }
        this.maxImages = n;
        return this;
    }

    public AttributionResult run(ImageSource source) {
        return run(source, Progress.NONE);
    }

    public AttributionResult run(ImageSource source, Progress progress) {
        if (from == null) {
            throw new ModelException("say which layer to attribute to with from(layer)");
        }
        Layer fromLayer = model.layers().get(from);
        double[] sum = new double[(int) fromLayer.channels()];
        double unitSum = 0;
        int seen = 0;
        ImageSource images = source.limit(maxImages);
        int total = images.size().orElse(-1);
        try (BatchReader it = BatchReader.ahead(images.iterator(), batchSize)) {
            while (!progress.cancelled()) {
                List<Sample> batch = it.next(batchSize);
                if (batch.isEmpty()) {
                    break;
                }
                unitSum += accumulate(model.input().images(batch.stream().map(Sample::image).toList()), sum);
                seen += batch.size();
                progress.update(seen, total, "attribution of " + target + " to " + from);
            }
        }
        if (seen == 0) {
            throw new ModelException("no images to attribute over in " + source.name());
        }
        for (int c = 0; c < sum.length; c++) {
            sum[c] /= seen;
        }
        progress.finish(seen + " images");
        return new AttributionResult(model.name(), target, from, sum, unitSum / seen, seen, source.name(),
                progress.cancelled());
    }

    /** The target's map in its layer's activations {@code out}: N×H×W (or N for a position). */
    private NDArray targetMap(NDArray out) {
        if (target instanceof Unit.Feature f) {
            return f.map(out);
        }
        if (target instanceof Unit.FeatureAt fa) {
            return fa.feature().map(out).get(":, " + fa.y() + ", " + fa.x());
        }
        if (target instanceof Unit.Neuron nr) {
            return out.get(":, " + nr.channel() + ", " + nr.y() + ", " + nr.x());
        }
        return out.get(":, " + ((Unit.Channel) target).channel());
    }

    /** Adds Σ over the batch of a ⊙ ∂u/∂a per channel into {@code sum}; returns Σ of the unit over the batch. */
    private double accumulate(Tensor images, double[] sum) {
        try (NDManager m = model.newManager()) {
            NDArray x = m.create(images.data(), new Shape(images.shape()));
            NDArray a = model.forward(x, List.of(from)).get(from).duplicate();
            a.setRequiresGradient(true);
            try (GradientCollector gc = DjlSetup.engine().newGradientCollector()) {
                NDArray out = model.forward(x, Map.of(from, a), List.of(target.layer())).get(target.layer());
                long n = out.getShape().get(0);
                NDArray u = targetMap(out).reshape(n, -1).mean(new int[] {1});
                NDArray total = u.sum();
                gc.backward(total);
                NDArray contrib = a.mul(a.getGradient());
                int[] axes = new int[contrib.getShape().dimension() - 1];
                axes[0] = 0;
                for (int i = 1; i < axes.length; i++) {
                    axes[i] = i + 1;
                }
                float[] c = contrib.sum(axes).toFloatArray();
                for (int i = 0; i < c.length; i++) {
                    sum[i] += c[i];
                }
                return total.getFloat();
            }
        }
    }
}
