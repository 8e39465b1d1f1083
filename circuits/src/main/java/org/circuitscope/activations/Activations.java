package org.circuitscope.activations;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.circuitscope.data.BatchReader;
import org.circuitscope.data.ImageSource;
import org.circuitscope.image.Images;
import org.circuitscope.data.Sample;
import org.circuitscope.model.Layer;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.ort.Forward;
import org.circuitscope.progress.Progress;
import org.circuitscope.tensor.Tensor;

/**
 * Records a model's activations over an image source into a table:
 * {@code Activations.of(model).layers("fire4/concat").reduce(Reduce.MAX).batchSize(32).run(source, progress)}.
 * The source is walked lazily, one batch at a time; only the (reduced) numbers are kept, in primitive arrays, so
 * memory grows with images × channels, not with images × layer size. Each batch's native arrays are freed before
 * the next batch starts. An interrupt ({@code progress.cancelled()}) stops at the next batch and returns the rows
 * so far, marked partial. The forward passes take no gradient, so they run on ONNX Runtime when the model can
 * (the same values; {@link #forward(Forward)}, {@link org.circuitscope.model.ort.OrtExecutor}).
 */
public final class Activations {
    /** At most this many numbers are kept (so a table fits in memory); more stops the run with a partial table. */
    public static final long DEFAULT_MAX_VALUES = 100_000_000L;

    private final Model model;
    private List<String> layers = List.of();
    private Reduce reduce = Reduce.MAX;
    private int batchSize = 32;
    private int limit = -1;
    private long maxValues = DEFAULT_MAX_VALUES;
    private Map<String, ? extends org.circuitscope.model.Unit.FeatureBasis> dictionaries = Map.of();
    private Forward forward;

    private Activations(Model model) {
        this.model = model;
    }

    public static Activations of(Model model) {
        return new Activations(model);
    }

    public Activations layers(String... names) {
        return layers(Arrays.asList(names));
    }

    public Activations layers(List<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("name at least one layer");
        }
        this.layers = List.copyOf(names);
        return this;
    }

    public Activations reduce(Reduce r) {
        this.reduce = r;
        return this;
    }

    public Activations batchSize(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("batch size must be positive, not " + n);
        }
        this.batchSize = n;
        return this;
    }

    /** Reads at most {@code n} images of the source (all when n is negative). */
    public Activations limit(int n) {
        this.limit = n;
        return this;
    }

    /** The largest number of values kept before the run stops with a partial table. */
    public Activations maxValues(long n) {
        this.maxValues = n;
        return this;
    }

    /**
     * Dictionaries by name, so that a layer given as {@code layer/name} is recorded through the dictionary: one
     * column per feature, named {@code layer/name:index} like the feature's unit.
     */
    public Activations dictionaries(Map<String, ? extends org.circuitscope.model.Unit.FeatureBasis> named) {
        this.dictionaries = Map.copyOf(named);
        return this;
    }

    /**
     * Which executor runs the forward passes ({@link Forward}): by default the system property
     * {@code circuitscope.forward} (auto: ONNX Runtime when the model can run there, else DJL).
     */
    public Activations forward(Forward executor) {
        this.forward = executor;
        return this;
    }

    public ActivationResult run(ImageSource source) {
        return run(source, Progress.NONE);
    }

    public ActivationResult run(ImageSource source, Progress progress) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("name the layers to record: Activations.of(model).layers(\"…\")");
        }
        List<Layer> resolved = new ArrayList<>();
        List<org.circuitscope.model.Unit.FeatureBasis> views = new ArrayList<>();
        for (String l : layers) {
            var view = org.circuitscope.model.Unit.dictionaryView(l, dictionaries);
            views.add(view);
            resolved.add(model.layers().get(view != null ? view.layer() : l));
        }
        Features features = Features.of(layers, resolved, reduce, views);
        Forward executor = forward != null ? forward : Forward.configured();
        ImageSource src = limit >= 0 ? source.limit(limit) : source;
        OptionalInt size = src.size();
        long total = size.isPresent() ? size.getAsInt() : 0;
        List<String> problems = new ArrayList<>();
        if (total > 0 && total * features.count() > maxValues) {
            problems.add("the source has " + total + " images of " + features.count() + " values each, more than "
                    + maxValues + " in all: only the first " + (maxValues / features.count()) + " are recorded ("
                    + "reduce the layers, or limit the images)");
        }
        ActivationResult.Builder out = new ActivationResult.Builder(model.name(), src.name(), reduce, features);
        long start = System.nanoTime();
        boolean partial = false;
        float[] row = new float[features.count()];
        long capacity = maxValues / features.count();
        // the next batch decodes while the model runs on this one
        try (BatchReader it = BatchReader.ahead(src.iterator(), (int) Math.max(1, Math.min(batchSize, capacity)))) {
            while (true) {
                if (progress.cancelled()) {
                    partial = true;
                    break;
                }
                int room = (int) Math.min(batchSize, capacity - out.images());
                if (room <= 0) {
                    partial = it.hasNext();
                    if (partial && problems.isEmpty()) {
                        problems.add("stopped after " + out.images() + " images: more would exceed " + maxValues
                                + " values (reduce the layers, or limit the images)");
                    }
                    break;
                }
                List<Sample> batch = it.next(room);
                if (batch.isEmpty()) {
                    partial = progress.cancelled();
                    break;
                }
                List<BufferedImage> images = new ArrayList<>(batch.size());
                for (Sample s : batch) {
                    images.add(s.image());
                }
                float[][] perLayer = features.compute(model, images, executor);
                for (int i = 0; i < batch.size(); i++) {
                    features.fill(perLayer, i, row);
                    out.add(batch.get(i).id(), batch.get(i).label(), row);
                }
                progress.update(out.images(), total, out.images() + " images");
            }
        } finally {
            problems.addAll(0, src.problems());
            progress.finish(partial ? "interrupted after " + out.images() + " images" : out.images() + " images");
        }
        return out.build(partial, problems, (System.nanoTime() - start) / 1e9);
    }

    /** The columns of one image's row: for each layer, its channels (and positions when not reduced). */
    static final class Features {
        final List<String> layerNames;
        final int[] channels;
        final int[] heights;
        final int[] widths;
        final int[] offsets;
        final Reduce reduce;
        /** For a layer seen through a dictionary, the dictionary (its features are the channels); else null. */
        final List<org.circuitscope.model.Unit.FeatureBasis> views;
        /** The model layer each entry is computed from. */
        final List<String> sources;
        private final int count;

        private Features(List<String> layerNames, int[] channels, int[] heights, int[] widths, Reduce reduce,
                         List<org.circuitscope.model.Unit.FeatureBasis> views, List<String> sources) {
            this.layerNames = layerNames;
            this.views = views;
            this.sources = sources;
            this.channels = channels;
            this.heights = heights;
            this.widths = widths;
            this.reduce = reduce;
            this.offsets = new int[channels.length + 1];
            for (int l = 0; l < channels.length; l++) {
                offsets[l + 1] = offsets[l] + channels[l] * perChannel(l);
            }
            this.count = offsets[channels.length];
        }

        static Features of(List<String> names, List<Layer> layers, Reduce reduce) {
            List<org.circuitscope.model.Unit.FeatureBasis> none = new ArrayList<>();
            layers.forEach(l -> none.add(null));
            return of(names, layers, reduce, none);
        }

        static Features of(List<String> names, List<Layer> layers, Reduce reduce,
                           List<org.circuitscope.model.Unit.FeatureBasis> views) {
            int n = layers.size();
            int[] c = new int[n];
            int[] h = new int[n];
            int[] w = new int[n];
            for (int i = 0; i < n; i++) {
                long[] s = layers.get(i).shape();
                if (s.length == 4) {
                    c[i] = (int) s[1];
                    h[i] = (int) s[2];
                    w[i] = (int) s[3];
                } else {
                    long flat = 1;
                    for (int k = 1; k < s.length; k++) {
                        flat *= s[k];
                    }
                    c[i] = (int) flat;
                    h[i] = 1;
                    w[i] = 1;
                }
                if (c[i] <= 0) {
                    throw new ModelException("layer '" + names.get(i) + "' has shape " + Arrays.toString(s)
                            + ": nothing to record");
                }
                if (views.get(i) != null) {
                    if (s.length != 4 && s.length != 2) {
                        throw new ModelException("layer '" + layers.get(i).name() + "' has shape "
                                + Arrays.toString(s) + ": a dictionary reads channel vectors");
                    }
                    views.get(i).feature(0).check(s[1]);
                    c[i] = views.get(i).size();
                }
            }
            List<String> sources = new ArrayList<>();
            layers.forEach(l -> sources.add(l.name()));
            return new Features(List.copyOf(names), c, h, w, reduce, new ArrayList<>(views), sources);
        }

        int perChannel(int layer) {
            return reduce == Reduce.NONE ? heights[layer] * widths[layer] : 1;
        }

        boolean positions() {
            return reduce == Reduce.NONE;
        }

        int count() {
            return count;
        }

        /**
         * Runs a batch and returns, per layer, its values for the batch: reduced on the engine where that is exact
         * (max over positions, the centre position), so only N×C numbers leave native memory; the whole map for
         * MEAN (averaged here in double precision) and NONE. The batch's native arrays are freed on return.
         */
        float[][] compute(Model model, List<BufferedImage> images, Forward executor) {
            float[][] out = new float[layerNames.size()][];
            Tensor in = model.input().images(images);
            try (NDManager m = model.newManager()) {
                NDArray x = m.create(in.data(), new Shape(in.shape()));
                Map<String, NDArray> acts = model.infer(x, sources.stream().distinct().toList(), executor);
                for (int l = 0; l < layerNames.size(); l++) {
                    NDArray a = acts.get(sources.get(l));
                    if (views.get(l) != null) {
                        a = views.get(l).maps(a.toType(DataType.FLOAT32, false));
                    }
                    boolean spatial = a.getShape().dimension() == 4 && heights[l] * widths[l] > 1;
                    NDArray f = a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false);
                    if (spatial && reduce == Reduce.MAX) {
                        out[l] = f.reshape(f.getShape().get(0), channels[l], (long) heights[l] * widths[l])
                                .max(new int[] {2}).toFloatArray();
                    } else if (spatial && reduce == Reduce.CENTER) {
                        out[l] = f.get(new NDIndex(":, :, {}, {}", heights[l] / 2, widths[l] / 2)).toFloatArray();
                    } else {
                        out[l] = f.toFloatArray();
                    }
                }
            }
            return out;
        }

        /** Image {@code i}'s values of every layer (from {@link #compute}) into {@code row}. */
        void fill(float[][] perLayer, int i, float[] row) {
            for (int l = 0; l < layerNames.size(); l++) {
                float[] d = perLayer[l];
                int hw = heights[l] * widths[l];
                if (reduce == Reduce.NONE || hw == 1) {
                    System.arraycopy(d, i * channels[l] * hw, row, offsets[l], channels[l] * hw);
                } else if (reduce == Reduce.MAX || reduce == Reduce.CENTER) {
                    System.arraycopy(d, i * channels[l], row, offsets[l], channels[l]);
                } else {
                    int base = i * channels[l] * hw;
                    for (int c = 0; c < channels[l]; c++) {
                        row[offsets[l] + c] = reduce.apply(d, base + c * hw, heights[l], widths[l]);
                    }
                }
            }
        }

        /** The column name of feature {@code f}: {@code layer:channel}, or {@code layer:channel@y,x}. */
        String name(int f) {
            int l = layerOf(f);
            int k = f - offsets[l];
            int per = perChannel(l);
            int c = k / per;
            if (per == 1) {
                return layerNames.get(l) + ":" + c;
            }
            int p = k % per;
            return layerNames.get(l) + ":" + c + "@" + (p / widths[l]) + "," + (p % widths[l]);
        }

        /** Channel, y and x of feature {@code f} within its layer. */
        int[] position(int f) {
            int l = layerOf(f);
            int k = f - offsets[l];
            int per = perChannel(l);
            int p = k % per;
            return new int[] {k / per, per == 1 ? 0 : p / widths[l], per == 1 ? 0 : p % widths[l]};
        }

        int layerOf(int f) {
            int l = 0;
            while (offsets[l + 1] <= f) {
                l++;
            }
            return l;
        }
    }
}
