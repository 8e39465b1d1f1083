package org.circuitscope.examples;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.PriorityQueue;
import org.circuitscope.data.BatchReader;
import org.circuitscope.data.ImageSource;
import org.circuitscope.data.Sample;
import org.circuitscope.image.Images;
import org.circuitscope.model.Layer;
import org.circuitscope.model.LayerGraph;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Unit;
import org.circuitscope.model.ort.Forward;
import org.circuitscope.ops.OpSet;
import org.circuitscope.progress.Progress;
import org.circuitscope.tensor.Tensor;

/**
 * The images of a source that drive a unit hardest: {@code DatasetExamples.of(model, Unit.parse("fire4/concat:12"))
 * .k(9).run(source, progress)}. A channel's value on an image is its maximum over positions (the minimum when
 * {@link #negative(boolean) negative}); a neuron's is its value at its position; a direction's is the largest
 * (smallest) projection over positions. Only the k best images so far are kept, so any size of source works. Each
 * example carries the box of input pixels the unit's receptive field covers at the position of its extreme value.
 * Asked for the most negative examples of a layer that follows a ReLU (where nothing is negative), the unit is read
 * before the ReLU: through Relu, and through Concat to the input that holds the channel ({@link #preRelu}).
 * The forward passes take no gradient, so they run on ONNX Runtime when the model can (the same values;
 * {@link #forward(Forward)}, {@link org.circuitscope.model.ort.OrtExecutor}).
 */
public final class DatasetExamples {
    private final Model model;
    private final List<Unit> units;
    private int k = 9;
    private boolean negative;
    private boolean preRelu = true;
    private int batchSize = 32;
    private int limit = -1;
    private Forward forward;

    private DatasetExamples(Model model, List<Unit> units) {
        if (units.isEmpty()) {
            throw new IllegalArgumentException("name at least one unit");
        }
        this.model = model;
        this.units = List.copyOf(units);
    }

    public static DatasetExamples of(Model model, Unit unit) {
        return new DatasetExamples(model, List.of(unit));
    }

    public static DatasetExamples of(Model model, String unit) {
        return of(model, Unit.parse(unit));
    }

    /** Examples of several units from one pass over the source ({@link #runAll}). */
    public static DatasetExamples of(Model model, List<Unit> units) {
        return new DatasetExamples(model, units);
    }

    public DatasetExamples k(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("k must be positive, not " + n);
        }
        this.k = n;
        return this;
    }

    /** The most negative examples instead of the most positive ones. */
    public DatasetExamples negative(boolean b) {
        this.negative = b;
        return this;
    }

    /** Whether negative examples of a post-ReLU unit are read before the ReLU (default true). */
    public DatasetExamples preRelu(boolean b) {
        this.preRelu = b;
        return this;
    }

    public DatasetExamples batchSize(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("batch size must be positive, not " + n);
        }
        this.batchSize = n;
        return this;
    }

    public DatasetExamples limit(int n) {
        this.limit = n;
        return this;
    }

    /**
     * Which executor runs the forward passes ({@link Forward}): by default the system property
     * {@code circuitscope.forward} (auto: ONNX Runtime when the model can run there, else DJL).
     */
    public DatasetExamples forward(Forward executor) {
        this.forward = executor;
        return this;
    }

    public ExamplesResult run(ImageSource source) {
        return run(source, Progress.NONE);
    }

    /** The examples of the (first) unit. */
    public ExamplesResult run(ImageSource source, Progress progress) {
        return runAll(source, progress).get(0);
    }

    /** The examples of every unit, in the order given, from one pass over the source. */
    public List<ExamplesResult> runAll(ImageSource source, Progress progress) {
        List<Tracked> tracked = new ArrayList<>();
        for (Unit u : units) {
            tracked.add(new Tracked(u));
        }
        String[] layerNames = tracked.stream().map(t -> t.layer.name()).distinct().toArray(String[]::new);
        int inH = model.input().height();
        int inW = model.input().width();
        ImageSource src = limit >= 0 ? source.limit(limit) : source;
        OptionalInt size = src.size();
        long total = size.isPresent() ? size.getAsInt() : 0;
        long seen = 0;
        boolean partial = false;
        Forward executor = forward != null ? forward : Forward.configured();
        // the next batch decodes while the model runs on this one
        try (BatchReader it = BatchReader.ahead(src.iterator(), batchSize)) {
            while (true) {
                if (progress.cancelled()) {
                    partial = true;
                    break;
                }
                List<Sample> batch = it.next(batchSize);
                if (batch.isEmpty()) {
                    partial = progress.cancelled();
                    break;
                }
                List<BufferedImage> images = new ArrayList<>(batch.size());
                for (Sample s : batch) {
                    images.add(s.image());
                }
                Tensor in = model.input().images(images);
                try (NDManager m = model.newManager()) {
                    NDArray x = m.create(in.data(), new Shape(in.shape()));
                    Map<String, NDArray> acts = model.infer(x, Arrays.asList(layerNames), executor);
                    for (Tracked t : tracked) {
                        NDArray a = acts.get(t.layer.name());
                        Candidate[] scored = t.score(a.getDataType() == DataType.FLOAT32 ? a
                                : a.toType(DataType.FLOAT32, false), batch.size());
                        for (int i = 0; i < batch.size(); i++) {
                            Candidate c = scored[i];
                            c.index = seen + i;
                            if (t.best.size() < k || t.order.compare(c, t.best.peek()) > 0) {
                                Sample s = batch.get(i);
                                c.id = s.id();
                                c.label = s.label();
                                BufferedImage img = s.image();
                                c.image = model.input().picture(img);
                                t.best.add(c);
                                if (t.best.size() > k) {
                                    t.best.poll();
                                }
                            }
                        }
                    }
                }
                seen += batch.size();
                progress.update(seen, total, seen + " images");
            }
        } finally {
            progress.finish(partial ? "interrupted after " + seen + " images" : seen + " images");
        }
        List<ExamplesResult> results = new ArrayList<>();
        for (Tracked t : tracked) {
            List<Candidate> ranked = new ArrayList<>(t.best);
            ranked.sort(t.order.reversed());
            List<Example> examples = new ArrayList<>();
            for (int r = 0; r < ranked.size(); r++) {
                Candidate c = ranked.get(r);
                Rectangle box = t.rf.box(c.y, c.x, inH, inW);
                examples.add(new Example(r + 1, c.id, c.label, c.value, c.y, c.x, box, c.image));
            }
            results.add(new ExamplesResult(model.name(), t.unit, t.read, negative, t.rf, examples, seen, partial,
                    src.problems(), src.name()));
        }
        return results;
    }

    /** One unit's bookkeeping during a pass: the layer it is read at and the k best candidates so far. */
    private final class Tracked {
        final Unit unit;
        final Unit read;
        final Layer layer;
        final int channels;
        final int h;
        final int w;
        final float sign;
        final ReceptiveField rf;
        final Comparator<Candidate> order;
        final PriorityQueue<Candidate> best;

        Tracked(Unit unit) {
            this.unit = unit;
            this.read = negative && preRelu ? beforeRelu(model.layers(), unit) : unit;
            this.layer = model.layers().get(read.layer());
            this.channels = (int) layer.channels();
            int channel = channelOf(read);
            if (channel >= channels) {
                throw new ModelException("layer '" + layer.name() + "' has " + channels + " channels (0.."
                        + (channels - 1) + "); there is no channel " + channel);
            }
            if (read instanceof Unit.Feature f) {
                f.check(channels);
            }
            if (read instanceof Unit.FeatureAt fa) {
                fa.feature().check(channels);
            }
            if (read instanceof Unit.Direction d && d.vector().length != channels) {
                throw new ModelException("the direction has " + d.vector().length + " values but layer '"
                        + layer.name() + "' has " + channels + " channels");
            }
            this.h = layer.spatial() ? (int) layer.shape()[2] : 1;
            this.w = layer.spatial() ? (int) layer.shape()[3] : 1;
            if (read instanceof Unit.FeatureAt fa) {
                if (!layer.spatial()) {
                    throw new ModelException("layer '" + layer.name() + "' has no positions: write the feature "
                            + "itself (" + fa.feature() + "), not " + fa);
                }
                fa.checkPosition(h, w);
            }
            if (read instanceof Unit.Neuron n && (n.y() >= h || n.x() >= w)) {
                throw new ModelException("layer '" + layer.name() + "' is " + h + "×" + w
                        + "; there is no position " + n.y() + "," + n.x());
            }
            this.rf = ReceptiveField.of(model, layer.name());
            this.sign = negative ? -1f : 1f;
            float sg = sign;
            // The order puts the strongest last; as a min-heap its head is the weakest kept. Ties keep the
            // earlier image.
            this.order = Comparator.comparingDouble((Candidate c) -> sg * c.value)
                    .thenComparing(Comparator.comparingLong((Candidate c) -> c.index).reversed());
            this.best = new PriorityQueue<>(order);
        }

        /**
         * Each image's value and position. A channel's extreme over positions and a neuron's value are taken on
         * the engine, so only a few numbers per image leave native memory; a direction needs the whole map.
         */
        Candidate[] score(NDArray a, int n) {
            Candidate[] out = new Candidate[n];
            int hw = h * w;
            if (read instanceof Unit.Channel || read instanceof Unit.Feature) {
                // a channel's plane, or a dictionary feature's map computed on the engine: the same max and argmax
                NDArray plane = read instanceof Unit.Feature f ? f.map(a).reshape(n, hw)
                        : a.getShape().dimension() == 4
                        ? a.get(new NDIndex(":, {}", ((Unit.Channel) read).channel())).reshape(n, hw)
                        : a.get(new NDIndex(":, {}", ((Unit.Channel) read).channel())).reshape(n, 1);
                NDArray signed = sign < 0 ? plane.neg() : plane;
                float[] v = signed.max(new int[] {1}).toFloatArray();
                long[] arg = signed.argMax(1).toLongArray();
                for (int i = 0; i < n; i++) {
                    Candidate cand = new Candidate();
                    cand.value = sign < 0 ? -v[i] : v[i];
                    cand.y = (int) (arg[i] / w);
                    cand.x = (int) (arg[i] % w);
                    out[i] = cand;
                }
                return out;
            }
            if (read instanceof Unit.FeatureAt fa) {
                // the feature's map on the engine, read at its position
                float[] v = fa.feature().map(a).get(new NDIndex(":, {}, {}", fa.y(), fa.x())).toFloatArray();
                return atOnePosition(v, fa.y(), fa.x(), out);
            }
            if (read instanceof Unit.Neuron nr) {
                float[] v = (a.getShape().dimension() == 4
                        ? a.get(new NDIndex(":, {}, {}, {}", nr.channel(), nr.y(), nr.x()))
                        : a.get(new NDIndex(":, {}", nr.channel()))).toFloatArray();
                return atOnePosition(v, nr.y(), nr.x(), out);
            }
            float[] d = a.toFloatArray();
            int per = channels * hw;
            for (int i = 0; i < n; i++) {
                out[i] = DatasetExamples.score(read, d, i * per, channels, h, w, sign);
            }
            return out;
        }
    }

    /** Each image's value {@code v[i]} of a unit read at one position (a neuron, a feature at a position). */
    private static Candidate[] atOnePosition(float[] v, int y, int x, Candidate[] out) {
        for (int i = 0; i < out.length; i++) {
            Candidate cand = new Candidate();
            cand.value = v[i];
            cand.y = y;
            cand.x = x;
            out[i] = cand;
        }
        return out;
    }

    private static final class Candidate {
        float value;
        int y;
        int x;
        long index;
        String id;
        String label;
        BufferedImage image;
    }

    private static Candidate score(Unit u, float[] d, int base, int channels, int h, int w, float sign) {
        Candidate c = new Candidate();
        int hw = h * w;
        if (u instanceof Unit.Neuron n) {
            c.value = d[base + n.channel() * hw + n.y() * w + n.x()];
            c.y = n.y();
            c.x = n.x();
        } else if (u instanceof Unit.Channel ch) {
            int off = base + ch.channel() * hw;
            int arg = 0;
            for (int p = 1; p < hw; p++) {
                if (sign * d[off + p] > sign * d[off + arg]) {
                    arg = p;
                }
            }
            c.value = d[off + arg];
            c.y = arg / w;
            c.x = arg % w;
        } else if (u instanceof Unit.Direction dir) {
            float[] v = dir.vector();
            float bestV = 0;
            int arg = -1;
            for (int p = 0; p < hw; p++) {
                double s = 0;
                for (int ch = 0; ch < channels; ch++) {
                    s += (double) v[ch] * d[base + ch * hw + p];
                }
                if (arg < 0 || sign * s > sign * bestV) {
                    bestV = (float) s;
                    arg = p;
                }
            }
            c.value = bestV;
            c.y = arg / w;
            c.x = arg % w;
        }
        return c;
    }

    /**
     * The same unit read before the rectifier that ends its layer (Relu, or Clip such as ReLU6): through it to its input, and through a channel
     * Concat to the input holding the channel (with the channel renumbered). Other layers are returned as they are.
     */
    public static Unit beforeRelu(LayerGraph graph, Unit unit) {
        if (unit instanceof Unit.Feature || unit instanceof Unit.FeatureAt) {
            return unit; // a feature is read where its dictionary was learnt, rectified or not as its codes are
        }
        String layer = graph.get(unit.layer()).name();
        int channel = channelOf(unit);
        boolean passedRelu = false;
        for (int guard = 0; guard < 64; guard++) {
            Layer l = graph.get(layer);
            if (OpSet.rectifies(l.op(), l.attributes()) && l.inputs().size() == 1) {
                layer = l.inputs().get(0);
                passedRelu = true;
                continue;
            }
            long[] axis = l.attribute("axis", new long[] {1});
            boolean channelAxis = axis[0] == 1 || axis[0] == -3 && l.shape().length == 4;
            if (l.op().equals("Concat") && channelAxis && channel >= 0) {
                int offset = 0;
                String found = null;
                for (String in : l.inputs()) {
                    int c = (int) graph.get(in).channels();
                    if (channel < offset + c) {
                        found = in;
                        break;
                    }
                    offset += c;
                }
                if (found == null || !OpSet.rectifies(graph.get(found).op(), graph.get(found).attributes())) {
                    break;
                }
                layer = found;
                channel -= offset;
                continue;
            }
            break;
        }
        if (!passedRelu) {
            return unit;
        }
        if (unit instanceof Unit.Neuron n) {
            return Unit.neuron(layer, channel, n.y(), n.x());
        }
        if (unit instanceof Unit.Direction d) {
            return Unit.direction(layer, d.vector());
        }
        return Unit.channel(layer, channel);
    }

    static int channelOf(Unit u) {
        if (u instanceof Unit.Channel c) {
            return c.channel();
        }
        if (u instanceof Unit.Neuron n) {
            return n.channel();
        }
        return -1;
    }

}
