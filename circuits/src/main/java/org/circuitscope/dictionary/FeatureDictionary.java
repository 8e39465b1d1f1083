package org.circuitscope.dictionary;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.circuitscope.data.BatchReader;
import org.circuitscope.data.ImageSource;
import org.circuitscope.data.Sample;
import org.circuitscope.display.Displayable;
import org.circuitscope.model.Layer;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Unit;
import org.circuitscope.progress.Progress;
import org.circuitscope.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.inverse.InvertMatrix;

/**
 * A dictionary of features learnt on one layer's activation vectors: each feature has a decoder row (its
 * direction in the layer's channel space) and an encoder (how much of it a vector holds). Features are units
 * ({@link #feature}, and {@code layer/name:index} through {@link Unit#parse(String, Map)}), so every instrument
 * that takes a unit takes a feature. Learn one with {@link #learning}; methods:
 * <ul>
 * <li>{@link Method#SAE}: a TopK sparse autoencoder ({@link SparseAutoencoder}), size a multiple of C;</li>
 * <li>{@link Method#NMF}: non-negative factors ({@link Nmf}); with fewer factors than channels, Lucid's neuron
 * groups;</li>
 * <li>{@link Method#PCA}: principal components ({@link Pca}), the dense baseline.</li>
 * </ul>
 * Codes ({@link #encode}) are each method's own: TopK for the autoencoder, a non-negative least-squares solve for
 * NMF ({@link Unit.NonNegative}: {@value #NNLS_ITERATIONS} projected-gradient steps from the rectified
 * least-squares coefficients), the projection for PCA. As a unit, a feature is read by a fixed affine map of the
 * channel vector (see {@link Unit.Feature}): the autoencoder's encoder before its top-k selection, PCA's
 * projection; an NMF feature by the same non-negative solve as its codes.
 */
public final class FeatureDictionary implements Unit.FeatureBasis, Displayable {
    private static final String MAGIC = "circuitscope-dictionary-1";
    /** Projected-gradient steps of NMF's non-negative least-squares codes. */
    public static final int NNLS_ITERATIONS = 100;

    /** How a dictionary is learnt. */
    public enum Method {
        SAE, NMF, PCA;

        public static Method parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ModelException("unknown dictionary method '" + s + "': use sae, nmf or pca");
            }
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final String name;
    private final Method method;
    private final String model;
    private final String layer;
    private final int channels;
    private final int size;
    private final int k;
    private final long seed;
    private final float[] encoder;
    private final float[] encoderBias;
    private final float[] decoder;
    private final float[] decoderBias;
    private final Quality quality;
    /** NMF's non-negative solve, built when first needed. */
    private Unit.NonNegative nonNegative;

    FeatureDictionary(String name, Method method, String model, String layer, int channels, int size, int k, long seed,
               float[] encoder, float[] encoderBias, float[] decoder, float[] decoderBias, Quality quality) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new ModelException("a dictionary name is a plain identifier (letters, digits, _), not '" + name
                    + "'");
        }
        this.name = name;
        this.method = method;
        this.model = model;
        this.layer = layer;
        this.channels = channels;
        this.size = size;
        this.k = k;
        this.seed = seed;
        this.encoder = encoder;
        this.encoderBias = encoderBias;
        this.decoder = decoder;
        this.decoderBias = decoderBias;
        this.quality = quality;
    }

    // ---- learning

    /** A dictionary learner for {@code layer} of {@code model} (options first, then {@link Learning#learn}). */
    public static Learning learning(Model model, String layer) {
        return new Learning(model, model.layers().get(layer));
    }

    /** A sparse autoencoder of 4·C features on {@code layer}, over 200 images of {@code source}, with defaults. */
    public static FeatureDictionary learn(Model model, String layer, ImageSource source) {
        return learning(model, layer).learn(source, Progress.NONE);
    }

    /** What to learn and on how much data; {@link #learn} runs it. */
    public static final class Learning {
        private final Model model;
        private final Layer layer;
        private Method method = Method.SAE;
        private int size;
        private int k;
        private int images = 200;
        private int positions = 64;
        private int steps = 3000;
        private int iterations = 300;
        private double sparsity;
        private long seed = 1;
        private int spliceImages = 32;

        private Learning(Model model, Layer layer) {
            this.model = model;
            this.layer = layer;
        }

        public Learning method(Method m) {
            this.method = m;
            return this;
        }

        /** Number of features (default 4·C for SAE, C for NMF and PCA). */
        public Learning size(int m) {
            this.size = m;
            return this;
        }

        /** TopK's k for the autoencoder (default C/8, at least 1). */
        public Learning k(int n) {
            this.k = n;
            return this;
        }

        public Learning images(int n) {
            this.images = n;
            return this;
        }

        /** Positions sampled per image (default 64; negative for all). */
        public Learning positions(int n) {
            this.positions = n;
            return this;
        }

        public Learning steps(int n) {
            this.steps = n;
            return this;
        }

        public Learning iterations(int n) {
            this.iterations = n;
            return this;
        }

        /** NMF's L1 weight on the loadings. */
        public Learning sparsity(double s) {
            this.sparsity = s;
            return this;
        }

        public Learning seed(long s) {
            this.seed = s;
            return this;
        }

        /** Images for the spliced-forward quality figure (0: skip it). */
        public Learning spliceImages(int n) {
            this.spliceImages = n;
            return this;
        }

        public FeatureDictionary learn(ImageSource source, Progress progress) {
            ActivationSample sample = ActivationSample.collect(model, layer.name(), source, images, positions, seed,
                    16, progress);
            Options o = new Options(method, size, k, steps, iterations, sparsity, seed);
            FeatureDictionary d = fit(sample.vectors(), o, model.name(), layer.name(), progress);
            Quality q = d.quality;
            if (spliceImages > 0 && !progress.cancelled()) {
                double[] change = d.splicedChange(model, source.limit(spliceImages));
                q = new Quality(q.varianceExplained(), q.meanL0(), q.dead(), q.vectors(), change[0], change[1],
                        (int) change[2], q.partial() || sample.partial());
            } else if (sample.partial()) {
                q = new Quality(q.varianceExplained(), q.meanL0(), q.dead(), q.vectors(), q.outputChange(),
                        q.top1Agreement(), q.spliceImages(), true);
            }
            return d.withQuality(q);
        }
    }

    /** The method and its settings; zeros mean the method's default. */
    public record Options(Method method, int size, int k, int steps, int iterations, double sparsity, long seed) {
        public static Options of(Method m, int size, int k) {
            return new Options(m, size, k, 3000, 300, 0, 1);
        }
    }

    /** Learns a dictionary on the rows of {@code x} (n×C); its quality is measured on the same rows. */
    public static FeatureDictionary fit(INDArray x, Options o, String modelName, String layerName, Progress progress) {
        Nd4jSetup.ensure();
        int c = (int) x.columns();
        Method m = o.method();
        int size = o.size() > 0 ? o.size() : m == Method.SAE ? 4 * c : c;
        String name = m.id();
        FeatureDictionary d;
        switch (m) {
            case SAE -> {
                if (size % c != 0) {
                    throw new ModelException("a sparse autoencoder's size is a multiple of the layer's " + c
                            + " channels, not " + size);
                }
                int k = o.k() > 0 ? o.k() : Math.max(1, c / 8);
                SparseAutoencoder.Trained t = SparseAutoencoder.topK(size, k).steps(Math.max(1, o.steps()))
                        .seed(o.seed()).train(x, progress);
                // as a unit: ReLU(W_enc·a + b_enc − W_enc·b_dec), the encoder with the decoder bias folded in
                float[] bias = t.encoderBias().clone();
                for (int i = 0; i < size; i++) {
                    double s = 0;
                    for (int j = 0; j < c; j++) {
                        s += t.encoder()[i * c + j] * t.decoderBias()[j];
                    }
                    bias[i] -= (float) s;
                }
                d = new FeatureDictionary(name, m, modelName, layerName, c, size, k, o.seed(), t.encoder(), bias,
                        t.decoder(), t.decoderBias(), null);
            }
            case NMF -> {
                Nmf.Fit f = Nmf.fit(x, size, Math.max(1, o.iterations()), o.sparsity(), o.seed(), progress);
                float[] dec = f.factors().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data()
                        .asFloat();
                d = new FeatureDictionary(name, m, modelName, layerName, c, size, 0, o.seed(),
                        leastSquaresEncoder(f.factors()), new float[size], dec, new float[c], null);
            }
            case PCA -> {
                Pca.Fit f = Pca.fit(x, size);
                float[] comps = f.components().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data()
                        .asFloat();
                float[] mean = f.mean().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup().data().asFloat();
                d = new FeatureDictionary(name, m, modelName, layerName, c, size, 0, o.seed(), comps, new float[size],
                        comps.clone(), mean, null);
            }
            default -> throw new IllegalStateException();
        }
        return d.withQuality(Quality.measure(d, x, progress.cancelled()));
    }

    /** (D Dᵀ + εI)⁻¹ D: the rows that read least-squares coefficients of the factors D (k×C). */
    private static float[] leastSquaresEncoder(INDArray factors) {
        INDArray d = factors.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        INDArray gram = d.mmul(d.transpose()).addi(Nd4j.eye(d.rows()).castTo(d.dataType()).muli(1e-6));
        INDArray enc = InvertMatrix.invert(gram, false).mmul(d);
        return enc.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
    }

    // ---- using

    /** The codes of vectors {@code x} (n×C): n×size. */
    public INDArray encode(INDArray x) {
        Nd4jSetup.ensure();
        requireChannels(x.columns());
        INDArray xf = x.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        return switch (method) {
            case SAE -> topK(org.nd4j.linalg.ops.transforms.Transforms.relu(xf.mmul(encoderMatrix().transpose()).addiRowVector(
                    Nd4j.create(encoderBias, new long[] {1, size}, 'c')), false), k);
            case PCA -> xf.subRowVector(Nd4j.create(decoderBias, new long[] {1, channels}, 'c')).mmul(encoderMatrix().transpose());
            case NMF -> {
                Unit.NonNegative nn = nonNegative();
                float[][] rows = xf.toFloatMatrix();
                float[] out = new float[rows.length * size];
                for (int r = 0; r < rows.length; r++) {
                    System.arraycopy(nn.code(rows[r]), 0, out, r * size, size);
                }
                yield Nmf.nonNegativeRows(out, rows.length, size);
            }
        };
    }

    /** NMF's non-negative least-squares solve over the features (null for the other methods). */
    public synchronized Unit.NonNegative nonNegative() {
        if (method != Method.NMF) {
            return null;
        }
        if (nonNegative == null) {
            nonNegative = Unit.NonNegative.of(decoder, encoder, size, channels, NNLS_ITERATIONS);
        }
        return nonNegative;
    }

    /** Every feature's map at once (for NMF, one solve for all of them). */
    @Override
    public NDArray maps(NDArray a) {
        requireChannels(a.getShape().get(1));
        if (method == Method.NMF) {
            return nonNegative().codes(a);
        }
        return Unit.FeatureBasis.super.maps(a);
    }

    /** Vectors from codes (n×size): n×C. */
    public INDArray decode(INDArray codes) {
        return codes.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).mmul(decoderMatrix())
                .addiRowVector(Nd4j.create(decoderBias, new long[] {1, channels}, 'c'));
    }

    /** The reconstruction of vectors {@code x}: decode(encode(x)). */
    public INDArray reconstruct(INDArray x) {
        return decode(encode(x));
    }

    private static INDArray topK(INDArray z, int k) {
        float[] v = z.dup('c').data().asFloat();
        int rows = (int) z.rows();
        int cols = (int) z.columns();
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(v, r * cols, row, 0, cols);
            java.util.Arrays.sort(row);
            float kth = row[cols - k];
            for (int j = 0; j < cols; j++) {
                if (v[r * cols + j] < kth) {
                    v[r * cols + j] = 0;
                }
            }
        }
        return Nd4j.create(v, new long[] {rows, cols}, 'c');
    }

    /**
     * The model's class output with {@code layer} replaced by its reconstruction, against the model as it is, on
     * {@code source}: {relative L2 change of the class scores, share of images whose top class is unchanged,
     * images}.
     */
    public double[] splicedChange(Model m, ImageSource source) {
        Layer l = m.layers().get(layer);
        requireChannels(l.channels());
        String out = m.classOutput();
        double change = 0;
        int agree = 0;
        int n = 0;
        try (BatchReader it = BatchReader.ahead(source.iterator(), 16)) {
            while (true) {
                List<Sample> batch = it.next(16);
                if (batch.isEmpty()) {
                    break;
                }
                List<java.awt.image.BufferedImage> images = new ArrayList<>();
                batch.forEach(s -> images.add(s.image()));
                try (NDManager mg = m.newManager()) {
                    Tensor in = m.input().images(images);
                    NDArray x = mg.create(in.data(), new Shape(in.shape()));
                    Map<String, NDArray> plain = m.forward(x, List.of(l.name(), out));
                    NDArray a = plain.get(l.name()).toType(DataType.FLOAT32, false);
                    NDArray spliced = m.forward(x, Map.of(l.name(), reconstructMap(a)), List.of(out)).get(out);
                    NDArray base = plain.get(out).toType(DataType.FLOAT32, false).reshape(batch.size(), -1);
                    NDArray sp = spliced.toType(DataType.FLOAT32, false).reshape(batch.size(), -1);
                    float[] num = sp.sub(base).norm(new int[] {1}).toFloatArray();
                    float[] den = base.norm(new int[] {1}).toFloatArray();
                    long[] top = base.argMax(1).toLongArray();
                    long[] topSp = sp.argMax(1).toLongArray();
                    for (int i = 0; i < batch.size(); i++) {
                        change += num[i] / Math.max(1e-12, den[i]);
                        agree += top[i] == topSp[i] ? 1 : 0;
                    }
                }
                n += batch.size();
            }
        }
        if (n == 0) {
            return new double[] {Double.NaN, Double.NaN, 0};
        }
        return new double[] {change / n, agree / (double) n, n};
    }

    /**
     * A layer's activations (N×C×H×W or N×C, on the engine) with every channel vector replaced by its
     * reconstruction, attached to the same manager.
     */
    public NDArray reconstructMap(NDArray a) {
        Shape s = a.getShape();
        requireChannels(s.get(1));
        NDArray rows = s.dimension() == 4 ? a.transpose(0, 2, 3, 1).reshape(-1, s.get(1)) : a;
        INDArray x = Nd4j.create(rows.toFloatArray(), new long[] {rows.getShape().get(0), s.get(1)}, 'c');
        float[] r = reconstruct(x).dup('c').data().asFloat();
        NDArray back = a.getManager().create(r, rows.getShape());
        return s.dimension() == 4 ? back.reshape(s.get(0), s.get(2), s.get(3), s.get(1)).transpose(0, 3, 1, 2)
                : back;
    }

    private void requireChannels(long c) {
        if (c != channels) {
            throw new ModelException("dictionary '" + name + "' was learnt on " + channels + " channels, not " + c);
        }
    }

    // ---- features

    @Override
    public Unit.Feature feature(int index) {
        if (index < 0 || index >= size) {
            throw new ModelException("dictionary '" + name + "' has " + size + " features (0.." + (size - 1)
                    + "); there is no feature " + index);
        }
        float[] w = java.util.Arrays.copyOfRange(encoder, index * channels, (index + 1) * channels);
        float bias = encoderBias[index];
        if (method == Method.PCA) {
            double s = 0;
            for (int j = 0; j < channels; j++) {
                s += w[j] * decoderBias[j];
            }
            bias = (float) -s;
        }
        return new Unit.Feature(layer, name, index, w, bias, method != Method.PCA, nonNegative());
    }

    /** Feature {@code index}'s direction in channel space (its decoder row, unit length for SAE and NMF). */
    public float[] direction(int index) {
        return java.util.Arrays.copyOfRange(decoder, index * channels, (index + 1) * channels);
    }

    /** The decoder, size×C (a copy as an ND4J array). */
    public INDArray decoderMatrix() {
        return Nd4j.create(decoder.clone(), new long[] {size, channels}, 'c');
    }

    /** The encoder rows, size×C. */
    public INDArray encoderMatrix() {
        return Nd4j.create(encoder.clone(), new long[] {size, channels}, 'c');
    }

    public float[] decoderBias() {
        return decoderBias.clone();
    }

    public float[] encoderBias() {
        return encoderBias.clone();
    }

    /** The same dictionary under another name (what {@code layer/name:index} calls it). */
    public FeatureDictionary named(String newName) {
        return new FeatureDictionary(newName, method, model, layer, channels, size, k, seed, encoder, encoderBias, decoder,
                decoderBias, quality);
    }

    FeatureDictionary withQuality(Quality q) {
        return new FeatureDictionary(name, method, model, layer, channels, size, k, seed, encoder, encoderBias, decoder,
                decoderBias, q);
    }

    public String name() {
        return name;
    }

    public Method method() {
        return method;
    }

    public String model() {
        return model;
    }

    @Override
    public String layer() {
        return layer;
    }

    public int channels() {
        return channels;
    }

    @Override
    public int size() {
        return size;
    }

    /** TopK's k (autoencoders; 0 otherwise). */
    public int k() {
        return k;
    }

    public long seed() {
        return seed;
    }

    public Quality quality() {
        return quality;
    }

    // ---- files

    /**
     * Where a dictionary of {@code model} is kept by default: beside the model's file, as
     * {@code <file>.<layer>.<name>.dict}. Models without a file (the embedded ones) have no such place.
     */
    public static Path fileBeside(Model model, String layer, String name) {
        Path src = Path.of(model.source());
        if (!Files.isRegularFile(src)) {
            throw new ModelException("model '" + model.name() + "' has no file to keep a dictionary beside (it is "
                    + "loaded from " + model.source() + "): give a path");
        }
        return src.resolveSibling(src.getFileName() + "." + layer.replaceAll("[^A-Za-z0-9_.-]", "_") + "." + name
                + ".dict");
    }

    public void save(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream os = Files.newOutputStream(file);
             DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(os))) {
            out.writeUTF(MAGIC);
            out.writeUTF(name);
            out.writeUTF(method.name());
            out.writeUTF(model);
            out.writeUTF(layer);
            out.writeInt(channels);
            out.writeInt(size);
            out.writeInt(k);
            out.writeLong(seed);
            write(out, encoder);
            write(out, encoderBias);
            write(out, decoder);
            write(out, decoderBias);
            out.writeBoolean(quality != null);
            if (quality != null) {
                quality.write(out);
            }
        }
    }

    public static FeatureDictionary load(Path file) throws IOException {
        try (InputStream is = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(is))) {
            String magic = in.readUTF();
            if (!MAGIC.equals(magic)) {
                throw new IOException(file + " is not a circuitscope dictionary");
            }
            String name = in.readUTF();
            Method method = Method.valueOf(in.readUTF());
            String model = in.readUTF();
            String layer = in.readUTF();
            int c = in.readInt();
            int size = in.readInt();
            int k = in.readInt();
            long seed = in.readLong();
            float[] enc = read(in, size * c);
            float[] encBias = read(in, size);
            float[] dec = read(in, size * c);
            float[] decBias = read(in, c);
            Quality q = in.readBoolean() ? Quality.read(in) : null;
            return new FeatureDictionary(name, method, model, layer, c, size, k, seed, enc, encBias, dec, decBias, q);
        }
    }

    private static void write(DataOutputStream out, float[] v) throws IOException {
        out.writeInt(v.length);
        for (float f : v) {
            out.writeFloat(f);
        }
    }

    private static float[] read(DataInputStream in, int expected) throws IOException {
        int n = in.readInt();
        if (n != expected) {
            throw new IOException("corrupt dictionary: " + n + " values where " + expected + " were expected");
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readFloat();
        }
        return v;
    }

    // ---- display

    @Override
    public Map<String, Object> representations() {
        return Map.of("text/plain", toString(), "text/html", "<p>" + org.circuitscope.display.Markup.escape(
                toString()) + "</p>");
    }

    @Override
    public String toString() {
        return "Dictionary '" + name + "' (" + method.id() + (k > 0 ? ", top-" + k : "") + ") of " + size
                + " features on " + model + " " + layer + " (" + channels + " channels)"
                + (quality == null ? "" : ": " + quality);
    }
}
