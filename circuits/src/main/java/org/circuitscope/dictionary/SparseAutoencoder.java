package org.circuitscope.dictionary;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.Random;
import org.circuitscope.featurevis.Adam;
import org.circuitscope.model.DjlSetup;
import org.circuitscope.model.ModelException;
import org.circuitscope.progress.Progress;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A TopK sparse autoencoder (Gao et al. 2024) trained with DJL's autograd on the PyTorch engine:
 * z = W<sub>enc</sub>(x − b<sub>dec</sub>) + b<sub>enc</sub>, codes = the k largest of ReLU(z) (the rest zero),
 * x̂ = codesᵀW<sub>dec</sub> + b<sub>dec</sub>, minimising ‖x − x̂‖². Decoder rows are kept at unit length after
 * every step, so a code is the feature's amount along its direction. Latents that fire on no vector for
 * {@code resampleEvery} steps are resampled (Bricken et al. 2023): their decoder row becomes the normalised
 * residual of a vector the dictionary reconstructs badly (drawn with probability ∝ squared error), the encoder row
 * the same direction scaled to the alive ones, and their optimiser moments are reset.
 *
 * <p>Parameters live on the Java heap between steps with the project's {@link Adam}; each step copies them to
 * the engine, runs forward and backward there and reads the gradients back.
 */
public final class SparseAutoencoder {
    private int size;
    private int k;
    private int steps = 3000;
    private int batch = 256;
    private double learningRate = 2e-3;
    private int resampleEvery = 500;
    private long seed = 1;
    private int threads = 1;

    private SparseAutoencoder(int size, int k) {
        if (size < 1 || k < 1 || k > size) {
            throw new ModelException("a TopK autoencoder needs 1 ≤ k ≤ size, not k=" + k + ", size=" + size);
        }
        this.size = size;
        this.k = k;
    }

    /** {@code size} latents, {@code k} of them active per vector. */
    public static SparseAutoencoder topK(int size, int k) {
        return new SparseAutoencoder(size, k);
    }

    public SparseAutoencoder steps(int n) {
        this.steps = positive(n, "steps");
        return this;
    }

    public SparseAutoencoder batch(int n) {
        this.batch = positive(n, "batch");
        return this;
    }

    public SparseAutoencoder learningRate(double lr) {
        this.learningRate = lr;
        return this;
    }

    /** Steps between checks for dead latents (0: never resample). */
    public SparseAutoencoder resampleEvery(int n) {
        this.resampleEvery = n;
        return this;
    }

    /**
     * libtorch's intra-op threads while training (default 1, restored afterwards). Its matrices are small: on a
     * busy machine more threads spend the step waiting for each other (measured 27× slower with 2 threads than 1
     * on this project's 2-core CI box under load).
     */
    public SparseAutoencoder threads(int n) {
        this.threads = positive(n, "threads");
        return this;
    }

    public SparseAutoencoder seed(long s) {
        this.seed = s;
        return this;
    }

    /**
     * A trained autoencoder: encoder and decoder rows per latent (size×C, row-major), their biases.
     *
     * @param resampled how many latents were resampled in total
     * @param finalLoss the mean squared error of the last steps (per vector, summed over channels)
     */
    public record Trained(int size, int channels, int k, float[] encoder, float[] encoderBias, float[] decoder,
                          float[] decoderBias, int steps, int resampled, double finalLoss, boolean partial,
                          double vectorsPerSecond) {
    }

    /** Trains on the rows of {@code x} (n×C). */
    public Trained train(INDArray x, Progress progress) {
        float[] data = x.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
        return train(data, (int) x.rows(), (int) x.columns(), progress);
    }

    /** Trains on {@code n} vectors of {@code c} channels, row-major in {@code data}. */
    public Trained train(float[] data, int n, int c, Progress progress) {
        Random random = new Random(seed);
        int m = size;
        int mc = m * c;
        // theta: [encoder m×c | encoder bias m | decoder m×c | decoder bias c]
        int oBe = mc;
        int oWd = mc + m;
        int oBd = 2 * mc + m;
        float[] theta = new float[2 * mc + m + c];
        for (int i = 0; i < m; i++) {
            double norm = 0;
            for (int j = 0; j < c; j++) {
                float g = (float) random.nextGaussian();
                theta[oWd + i * c + j] = g;
                norm += g * g;
            }
            float inv = (float) (1 / Math.sqrt(norm));
            for (int j = 0; j < c; j++) {
                theta[oWd + i * c + j] *= inv;
                theta[i * c + j] = theta[oWd + i * c + j]; // tied start: encoder = decoderᵀ
            }
        }
        double[] mean = new double[c];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < c; j++) {
                mean[j] += data[r * c + j];
            }
        }
        for (int j = 0; j < c; j++) {
            theta[oBd + j] = (float) (mean[j] / n);
        }
        Adam adam = new Adam(learningRate, theta.length);
        float[] grad = new float[theta.length];
        float[] xb = new float[batch * c];
        int[] firedSince = new int[m];
        int resampled = 0;
        double lossSum = 0;
        int lossCount = 0;
        double lastLoss = Double.NaN;
        int step = 0;
        boolean partial = false;
        Engine engine = DjlSetup.engine();
        long t0 = System.nanoTime();
        int threadsBefore = ai.djl.pytorch.jni.JniUtils.getNumThreads();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
        try (NDManager base = engine.newBaseManager()) {
            for (; step < steps; step++) {
                if (progress.cancelled()) {
                    partial = true;
                    break;
                }
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(data, random.nextInt(n) * c, xb, b * c, c);
                }
                float loss;
                try (NDManager s = base.newSubManager()) {
                    NDArray xs = s.create(xb, new Shape(batch, c));
                    NDArray we = param(s, theta, 0, new Shape(m, c));
                    NDArray be = param(s, theta, oBe, new Shape(m));
                    NDArray wd = param(s, theta, oWd, new Shape(m, c));
                    NDArray bd = param(s, theta, oBd, new Shape(c));
                    NDArray active;
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        NDArray codes = encode(xs, we, be, bd, k);
                        active = codes.gt(0f);
                        NDArray err = codes.matMul(wd).add(bd).sub(xs);
                        NDArray l = err.square().sum(new int[] {1}).mean();
                        gc.backward(l);
                        loss = l.getFloat();
                    }
                    copyNegated(we.getGradient(), grad, 0);
                    copyNegated(be.getGradient(), grad, oBe);
                    copyNegated(wd.getGradient(), grad, oWd);
                    copyNegated(bd.getGradient(), grad, oBd);
                    float[] fired = active.toType(DataType.FLOAT32, false).sum(new int[] {0}).toFloatArray();
                    for (int i = 0; i < m; i++) {
                        if (fired[i] > 0) {
                            firedSince[i]++;
                        }
                    }
                }
                adam.ascend(theta, grad);
                normaliseRows(theta, oWd, m, c);
                lossSum += loss;
                lossCount++;
                if (resampleEvery > 0 && step + 1 < steps * 0.8 && (step + 1) % resampleEvery == 0) {
                    resampled += resample(data, n, c, theta, firedSince, adam, random, base);
                    Arrays.fill(firedSince, 0);
                }
                if ((step + 1) % 50 == 0 || step + 1 == steps) {
                    lastLoss = lossSum / lossCount;
                    lossSum = 0;
                    lossCount = 0;
                    progress.update(step + 1, steps, String.format("SAE step %d of %d, loss %.4g, %d resampled",
                            step + 1, steps, lastLoss, resampled));
                }
            }
        } finally {
            ai.djl.pytorch.jni.JniUtils.setNumThreads(threadsBefore);
            progress.finish(partial ? "SAE interrupted after " + step + " steps" : "SAE: " + step + " steps");
        }
        if (lossCount > 0) {
            lastLoss = lossSum / lossCount;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Trained(m, c, k, Arrays.copyOfRange(theta, 0, mc), Arrays.copyOfRange(theta, oBe, oWd),
                Arrays.copyOfRange(theta, oWd, oBd), Arrays.copyOfRange(theta, oBd, theta.length), step, resampled,
                lastLoss, partial, step * (double) batch / Math.max(1e-9, seconds));
    }

    /** TopK codes of a batch B×C: the k largest of ReLU(W(x − b_dec) + b_enc) per row, the rest zero. */
    static NDArray encode(NDArray x, NDArray we, NDArray be, NDArray bd, int k) {
        // relu, not maximum(0): maximum's backward shares the gradient out at ties through five more ops (4 ms of
        // an 18-ms step at C = 128, 512 latents, batch 1024)
        NDArray z = ai.djl.nn.Activation.relu(x.sub(bd).matMul(we.transpose()).add(be));
        if (k >= z.getShape().get(1)) {
            return z;
        }
        // the k-th largest of each row as a threshold; the mask carries no gradient
        NDArray kth = z.topK(k, 1, true, false).get(0).min(new int[] {1}, true);
        NDArray keep = z.gte(kth).toType(DataType.FLOAT32, false).stopGradient();
        return z.mul(keep);
    }

    private int resample(float[] data, int n, int c, float[] theta, int[] firedSince, Adam adam, Random random,
                         NDManager base) {
        int m = size;
        int mc = m * c;
        int dead = 0;
        for (int f : firedSince) {
            dead += f == 0 ? 1 : 0;
        }
        if (dead == 0) {
            return 0;
        }
        int sample = Math.min(n, 4096);
        float[] xs = new float[sample * c];
        for (int i = 0; i < sample; i++) {
            System.arraycopy(data, random.nextInt(n) * c, xs, i * c, c);
        }
        float[] recon;
        try (NDManager s = base.newSubManager()) {
            NDArray x = s.create(xs, new Shape(sample, c));
            NDArray codes = encode(x, s.create(Arrays.copyOfRange(theta, 0, mc), new Shape(m, c)),
                    s.create(Arrays.copyOfRange(theta, mc, mc + m)),
                    s.create(Arrays.copyOfRange(theta, 2 * mc + m, theta.length)), k);
            recon = codes.matMul(s.create(Arrays.copyOfRange(theta, mc + m, 2 * mc + m), new Shape(m, c)))
                    .add(s.create(Arrays.copyOfRange(theta, 2 * mc + m, theta.length))).toFloatArray();
        }
        double[] weight = new double[sample];
        double total = 0;
        for (int i = 0; i < sample; i++) {
            double e = 0;
            for (int j = 0; j < c; j++) {
                double d = xs[i * c + j] - recon[i * c + j];
                e += d * d;
            }
            weight[i] = e * e;
            total += weight[i];
        }
        // the alive encoder rows' mean norm sets the scale of a resampled one (a fifth of it, as Bricken et al.)
        double alive = 0;
        int aliveCount = 0;
        for (int i = 0; i < m; i++) {
            if (firedSince[i] > 0) {
                alive += norm(theta, i * c, c);
                aliveCount++;
            }
        }
        double encScale = 0.2 * (aliveCount > 0 ? alive / aliveCount : 1);
        for (int f = 0; f < m; f++) {
            if (firedSince[f] > 0) {
                continue;
            }
            int pick = pick(weight, total, random);
            double len = 0;
            float[] r = new float[c];
            for (int j = 0; j < c; j++) {
                r[j] = xs[pick * c + j] - recon[pick * c + j];
                len += r[j] * r[j];
            }
            len = Math.sqrt(len);
            if (!(len > 1e-12)) {
                continue;
            }
            for (int j = 0; j < c; j++) {
                float u = (float) (r[j] / len);
                theta[mc + m + f * c + j] = u;
                theta[f * c + j] = (float) (u * encScale);
            }
            theta[mc + f] = 0;
            adam.reset(f * c, f * c + c);
            adam.reset(mc + f, mc + f + 1);
            adam.reset(mc + m + f * c, mc + m + f * c + c);
            weight[pick] = 0; // a different vector for the next dead latent
            total = Arrays.stream(weight).sum();
        }
        return dead;
    }

    private static int pick(double[] weight, double total, Random random) {
        if (!(total > 0)) {
            return random.nextInt(weight.length);
        }
        double u = random.nextDouble() * total;
        for (int i = 0; i < weight.length; i++) {
            u -= weight[i];
            if (u <= 0) {
                return i;
            }
        }
        return weight.length - 1;
    }

    private static double norm(float[] v, int off, int len) {
        double s = 0;
        for (int j = 0; j < len; j++) {
            s += v[off + j] * v[off + j];
        }
        return Math.sqrt(s);
    }

    private static void normaliseRows(float[] theta, int off, int rows, int c) {
        for (int i = 0; i < rows; i++) {
            double len = norm(theta, off + i * c, c);
            if (len > 1e-12) {
                float inv = (float) (1 / len);
                for (int j = 0; j < c; j++) {
                    theta[off + i * c + j] *= inv;
                }
            }
        }
    }

    private static NDArray param(NDManager s, float[] theta, int off, Shape shape) {
        NDArray a = s.create(Arrays.copyOfRange(theta, off, off + (int) shape.size()), shape);
        a.setRequiresGradient(true);
        return a;
    }

    private static void copyNegated(NDArray g, float[] into, int off) {
        float[] v = g.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            into[off + i] = -v[i];
        }
    }

    private static int positive(int n, String what) {
        if (n < 1) {
            throw new ModelException(what + " must be at least 1, not " + n);
        }
        return n;
    }
}
