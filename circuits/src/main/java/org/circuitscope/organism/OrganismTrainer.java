package org.circuitscope.organism;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Trains an {@link OrganismNet} on scenes of the {@link World} drawn on the fly, with DJL on the PyTorch engine
 * (CPU): softmax cross-entropy, Adam (our own update, in place), a constant learning rate with a cosine decay over
 * the last half of the steps. Step {@code t} sees scenes {@code t·batch .. t·batch+batch-1} of the world with the
 * training seed, so the data order is fixed by the seed; the first weights come from the seed too
 * ({@link OrganismNet#initial}). Held-out accuracy is measured on a world with a different seed ({@link
 * #heldOutSeed}).
 *
 * <p>With the same seed, the same settings and the same number of PyTorch threads, training gives the same weights.
 * Every native array lives in a per-step sub-manager that is closed at the end of the step, so memory stays flat.
 */
public final class OrganismTrainer {

    static {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }

    /**
     * Training settings.
     *
     * @param seed weights, data order and engine seed
     * @param width base channel width (channels W, 2W, 3W, 4W, 4W)
     * @param steps optimiser steps
     * @param batch scenes per step
     * @param learningRate Adam's step size before the decay
     * @param threads PyTorch intra-op threads (determinism holds for a fixed count)
     * @param evalEvery measure held-out accuracy every this many steps (0: only at the end)
     * @param evalScenes held-out scenes per measurement
     * @param channels the channels of {@code conv1..conv5}, overriding the width's (empty: from the width), e.g.
     *                 16, 32, 48, 8, 64 for a {@code conv4} narrower than the world has part types
     */
    public record Config(long seed, int width, int steps, int batch, double learningRate, int threads, int evalEvery,
            int evalScenes, List<Integer> channels) {
        public Config {
            channels = List.copyOf(channels);
            if (width < 1 || steps < 0 || batch < 1 || learningRate <= 0 || threads < 1 || evalScenes < 0
                    || !(channels.isEmpty() || channels.size() == OrganismNet.CONVS.size())
                    || channels.stream().anyMatch(c -> c < 1)) {
                throw new IllegalArgumentException("bad training settings: " + this);
            }
        }

        /** Settings with the channels of base width {@code width}. */
        public Config(long seed, int width, int steps, int batch, double learningRate, int threads, int evalEvery,
                int evalScenes) {
            this(seed, width, steps, batch, learningRate, threads, evalEvery, evalScenes, List.of());
        }

        /** The settings of the committed organism, for a given seed. */
        public static Config defaults(long seed) {
            return new Config(seed, 16, 1800, 64, 2e-3, 1, 300, 1000);
        }

        /** The channels of {@code conv1..conv5} these settings train. */
        public int[] convChannels() {
            return channels.isEmpty() ? OrganismNet.channels(width)
                    : channels.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /** What training produced: the weights, the loss of each step and the final held-out accuracy. */
    public record Result(OrganismNet net, float[] losses, double heldOutAccuracy, int heldOutScenes, long millis) {
    }

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;

    private OrganismTrainer() {
    }

    /** The seed of the world held-out accuracy is measured on: never a training scene. */
    public static long heldOutSeed(long seed) {
        return seed ^ 0x5EED_0F_4E1DL;
    }

    /** Trains from the seed's initial weights; {@code log} receives a line now and then. */
    public static Result train(Config cfg, Consumer<String> log) {
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed((int) cfg.seed());
        JniUtils.setNumThreads(cfg.threads());
        OrganismNet net = OrganismNet.initial(cfg.convChannels(), World.CLASSES.size(), cfg.seed());
        List<String> names = net.parameterNames();
        float[] losses = new float[cfg.steps()];
        long start = System.currentTimeMillis();
        ExecutorService renderer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "organism-scenes");
            t.setDaemon(true);
            return t;
        });
        try (NDManager root = engine.newBaseManager()) {
            List<NDArray> params = new ArrayList<>();
            List<NDArray> m = new ArrayList<>();
            List<NDArray> v = new ArrayList<>();
            for (String name : names) {
                NDArray p = root.create(net.values(name), new Shape(net.shape(name)));
                p.setRequiresGradient(true);
                params.add(p);
                m.add(root.zeros(p.getShape()));
                v.add(root.zeros(p.getShape()));
            }
            Future<Batch> next = renderer.submit(() -> batch(cfg.seed(), 0, cfg.batch()));
            double lossAvg = Double.NaN;
            for (int step = 0; step < cfg.steps(); step++) {
                Batch b = next.get();
                if (step + 1 < cfg.steps()) {
                    long from = (long) (step + 1) * cfg.batch();
                    next = renderer.submit(() -> batch(cfg.seed(), from, cfg.batch()));
                }
                double lr = learningRate(cfg, step);
                float loss;
                try (NDManager sub = root.newSubManager()) {
                    for (int i = 0; i < params.size(); i++) {
                        params.get(i).tempAttach(sub);
                        m.get(i).tempAttach(sub);
                        v.get(i).tempAttach(sub);
                    }
                    NDArray x = sub.create(b.pixels, new Shape(b.n, 3, World.SIZE, World.SIZE));
                    NDArray y = sub.create(b.oneHot, new Shape(b.n, World.CLASSES.size()));
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        NDArray logits = forward(x, params);
                        NDArray l = logits.logSoftmax(1).mul(y).sum(new int[] {1}).neg().mean();
                        gc.backward(l);
                        loss = l.getFloat();
                    }
                    JniUtils.setGradMode(false);
                    adam(params, m, v, step + 1, lr);
                }
                losses[step] = loss;
                lossAvg = Double.isNaN(lossAvg) ? loss : 0.95 * lossAvg + 0.05 * loss;
                boolean last = step == cfg.steps() - 1;
                if (log != null && ((step + 1) % 50 == 0 || last)) {
                    log.accept(String.format("step %d/%d loss %.4f (avg %.4f) lr %.5f %.1fs", step + 1, cfg.steps(),
                            loss, lossAvg, lr, (System.currentTimeMillis() - start) / 1000.0));
                }
                if (log != null && cfg.evalEvery() > 0 && (step + 1) % cfg.evalEvery() == 0 && !last
                        && cfg.evalScenes() > 0) {
                    copyOut(params, names, net);
                    log.accept(String.format("step %d held-out accuracy %.4f on %d scenes", step + 1,
                            accuracy(net, heldOutSeed(cfg.seed()), Math.min(500, cfg.evalScenes())),
                            Math.min(500, cfg.evalScenes())));
                }
            }
            copyOut(params, names, net);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("training interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("drawing training scenes failed", e.getCause());
        } finally {
            renderer.shutdownNow();
        }
        double acc = cfg.evalScenes() > 0 ? accuracy(net, heldOutSeed(cfg.seed()), cfg.evalScenes()) : Double.NaN;
        long millis = System.currentTimeMillis() - start;
        if (log != null && cfg.evalScenes() > 0) {
            log.accept(String.format("held-out accuracy %.4f on %d scenes; %.1fs", acc, cfg.evalScenes(),
                    millis / 1000.0));
        }
        return new Result(net, losses, acc, cfg.evalScenes(), millis);
    }

    private static double learningRate(Config cfg, int step) {
        int half = cfg.steps() / 2;
        if (step < half) {
            return cfg.learningRate();
        }
        double t = (step - half) / (double) Math.max(1, cfg.steps() - half);
        return cfg.learningRate() * (0.02 + 0.98 * 0.5 * (1 + Math.cos(Math.PI * t)));
    }

    /** Adam, in place, outside gradient recording; also zeroes the gradients. */
    private static void adam(List<NDArray> params, List<NDArray> m, List<NDArray> v, int t, double lr) {
        float c1 = (float) (1 - Math.pow(BETA1, t));
        float c2 = (float) (1 - Math.pow(BETA2, t));
        for (int i = 0; i < params.size(); i++) {
            NDArray p = params.get(i);
            NDArray g = p.getGradient();
            m.get(i).muli((float) BETA1).addi(g.mul((float) (1 - BETA1)));
            v.get(i).muli((float) BETA2).addi(g.square().muli((float) (1 - BETA2)));
            NDArray step = m.get(i).div(c1).divi(v.get(i).div(c2).sqrt().addi((float) EPS)).muli((float) lr);
            p.subi(step);
            g.subi(g);
        }
    }

    /**
     * The network's forward pass in DJL ops, on parameters in {@link OrganismNet#parameterNames()} order: the same
     * computation as the exported ONNX graph.
     */
    static NDArray forward(NDArray x, List<NDArray> params) {
        Shape one = new Shape(1, 1);
        Shape two = new Shape(2, 2);
        for (int i = 0; i < OrganismNet.CONVS.size(); i++) {
            NDArray w = params.get(2 * i);
            NDArray b = params.get(2 * i + 1);
            x = Conv2d.conv2d(x, w, b, one, one, one, 1).singletonOrThrow();
            x = Activation.relu(x);
            if (OrganismNet.POOL_AFTER[i]) {
                x = Pool.maxPool2d(x, two, two, new Shape(0, 0), false);
            }
        }
        x = Pool.globalAvgPool2d(x); // N×C
        int k = 2 * OrganismNet.CONVS.size();
        NDList out = Linear.linear(x.reshape(x.getShape().get(0), -1), params.get(k), params.get(k + 1));
        return out.singletonOrThrow();
    }

    /**
     * The logits for a batch of N model inputs (N×3×64×64 values, channel-major, already normalised with {@link
     * OrganismNet#normalize}) computed with DJL.
     */
    public static float[] logits(OrganismNet net, float[] pixels, int n) {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager mgr = engine.newBaseManager()) {
            List<NDArray> params = new ArrayList<>();
            for (String name : net.parameterNames()) {
                params.add(mgr.create(net.values(name), new Shape(net.shape(name))));
            }
            NDArray x = mgr.create(pixels, new Shape(n, 3, World.SIZE, World.SIZE));
            return forward(x, params).toFloatArray();
        }
    }

    /** The fraction of the first {@code count} scenes of the world with this seed that DJL classifies right. */
    public static double accuracy(OrganismNet net, long seed, int count) {
        int right = 0;
        int chunk = 250;
        for (int from = 0; from < count; from += chunk) {
            int n = Math.min(chunk, count - from);
            Batch b = batch(seed, from, n);
            float[] logits = logits(net, b.pixels, n);
            int k = net.classes();
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int c = 1; c < k; c++) {
                    if (logits[i * k + c] > logits[i * k + best]) {
                        best = c;
                    }
                }
                if (best == b.labels[i]) {
                    right++;
                }
            }
        }
        return count == 0 ? Double.NaN : right / (double) count;
    }

    private static void copyOut(List<NDArray> params, List<String> names, OrganismNet net) {
        for (int i = 0; i < names.size(); i++) {
            float[] src = params.get(i).toFloatArray();
            System.arraycopy(src, 0, net.values(names.get(i)), 0, src.length);
        }
    }

    /** Scenes {@code from .. from+n-1} of a world, as model input and labels. */
    static Batch batch(long seed, long from, int n) {
        int plane = 3 * World.SIZE * World.SIZE;
        int k = World.CLASSES.size();
        float[] pixels = new float[n * plane];
        float[] oneHot = new float[n * k];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            Scene s = World.scene(seed, from + i);
            World.toChw(s.render(), pixels, i * plane);
            labels[i] = World.CLASSES.indexOf(s.label());
            oneHot[i * k + labels[i]] = 1f;
        }
        OrganismNet.normalize(pixels);
        return new Batch(n, pixels, oneHot, labels);
    }

    record Batch(int n, float[] pixels, float[] oneHot, int[] labels) {
    }
}
