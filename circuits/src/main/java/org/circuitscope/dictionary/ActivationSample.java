package org.circuitscope.dictionary;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import org.circuitscope.data.BatchReader;
import org.circuitscope.data.ImageSource;
import org.circuitscope.data.Sample;
import org.circuitscope.model.Layer;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.progress.Progress;
import org.circuitscope.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A layer's activation vectors over a dataset, one row per (image, position): the data a dictionary is learnt on.
 * Each image contributes {@code positions} positions drawn without replacement by a seeded generator (every
 * position when it has fewer), so the same source, layer and seed give the same matrix. The rows are an ND4J
 * {@code INDArray} (n×C) for linear algebra in a cell; {@link #image} and {@link #position} say where each came from.
 *
 * @param vectors  n×C activation vectors
 * @param image    for each row, the index of its image in the source
 * @param position for each row, its position in the layer (y·W + x)
 * @param images   how many images were read
 * @param height   the layer's height (1 for layers without positions)
 * @param width    the layer's width
 * @param partial  whether the pass was interrupted
 */
public record ActivationSample(INDArray vectors, int[] image, int[] position, int images, int height, int width,
                               boolean partial) {

    public int rows() {
        return (int) vectors.rows();
    }

    public int channels() {
        return (int) vectors.columns();
    }

    /**
     * Runs {@code model} over at most {@code maxImages} images of {@code source} (all for a negative value) and keeps
     * {@code positions} positions of {@code layer} per image (all for a negative value).
     */
    public static ActivationSample collect(Model model, String layer, ImageSource source, int maxImages,
                                           int positions, long seed, int batchSize, Progress progress) {
        Nd4jSetup.ensure();
        Layer l = model.layers().get(layer);
        if (l.shape().length != 4 && l.shape().length != 2) {
            throw new ModelException("layer '" + l.name() + "' has shape " + java.util.Arrays.toString(l.shape())
                    + ": a dictionary needs channel vectors (N×C×H×W or N×C)");
        }
        int c = (int) l.channels();
        int h = l.spatial() ? (int) l.shape()[2] : 1;
        int w = l.spatial() ? (int) l.shape()[3] : 1;
        int hw = h * w;
        int per = positions < 0 || positions >= hw ? hw : positions;
        ImageSource src = maxImages >= 0 ? source.limit(maxImages) : source;
        OptionalInt size = src.size();
        long total = size.isPresent() ? size.getAsInt() : 0;
        Random random = new Random(seed);
        List<float[]> rows = new ArrayList<>();
        List<Integer> imageOf = new ArrayList<>();
        List<Integer> positionOf = new ArrayList<>();
        int seen = 0;
        boolean partial = false;
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
                float[] d;
                try (NDManager m = model.newManager()) {
                    Tensor in = model.input().images(images);
                    NDArray x = m.create(in.data(), new Shape(in.shape()));
                    // no gradient: on ONNX Runtime when the model can (Model.infer), as the dataset jobs
                    Map<String, NDArray> acts = model.infer(x, List.of(l.name()));
                    NDArray a = acts.get(l.name());
                    d = (a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false)).toFloatArray();
                }
                for (int i = 0; i < batch.size(); i++) {
                    int base = i * c * hw;
                    for (int p : choose(random, hw, per)) {
                        float[] v = new float[c];
                        for (int ch = 0; ch < c; ch++) {
                            v[ch] = d[base + ch * hw + p];
                        }
                        rows.add(v);
                        imageOf.add(seen + i);
                        positionOf.add(p);
                    }
                }
                seen += batch.size();
                progress.update(seen, total, seen + " images, " + rows.size() + " vectors of " + l.name());
            }
        } finally {
            progress.finish(partial ? "interrupted after " + seen + " images" : seen + " images, " + rows.size()
                    + " vectors");
        }
        if (rows.isEmpty()) {
            throw new ModelException("no activation vectors: the source gave no images" + (partial
                    ? " before the interrupt" : ""));
        }
        float[][] matrix = rows.toArray(new float[0][]);
        return new ActivationSample(Nd4j.create(matrix), imageOf.stream().mapToInt(Integer::intValue).toArray(),
                positionOf.stream().mapToInt(Integer::intValue).toArray(), seen, h, w, partial);
    }

    /** {@code k} distinct positions of {@code n}, in increasing order (all of them when k ≥ n). */
    private static int[] choose(Random random, int n, int k) {
        if (k >= n) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        // a partial Fisher–Yates shuffle: the first k of a random permutation
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(n - i);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        int[] out = java.util.Arrays.copyOf(p, k);
        java.util.Arrays.sort(out);
        return out;
    }
}
