package org.circuitscope.featurevis;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.circuitscope.examples.ReceptiveField;
import org.circuitscope.featurevis.objectives.Objectives;
import org.circuitscope.featurevis.objectives.Seen;
import org.circuitscope.featurevis.objectives.VisObjective;
import org.circuitscope.featurevis.param.ImageParam;
import org.circuitscope.featurevis.param.ImageParams;
import org.circuitscope.featurevis.transform.Placement;
import org.circuitscope.featurevis.transform.Transform;
import org.circuitscope.featurevis.transform.Transforms;
import org.circuitscope.image.Images;
import org.circuitscope.model.DjlSetup;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.progress.Progress;
import org.circuitscope.tensor.Tensor;

/**
 * Feature visualisation by optimisation (Olah et al., "Feature Visualization", 2017; Lucid's {@code render_vis}):
 * images that maximise an objective, found by Adam on an image parameterisation with random transforms each step.
 *
 * <pre>{@code
 * FeatureVisResult r = FeatureVis.of(model).objective(Objectives.channel("fire4/concat", 12))
 *         .steps(512).size(128).seed(0).render(progress);
 * }</pre>
 *
 * Defaults are Lucid's: Fourier parameterisation with decorrelated colour, the standard transforms, Adam with
 * learning rate 0.05 (the parameterisation's own rate, {@link ImageParam#learningRate()}, when none is given), 512
 * steps; a 128×128 image; seed 0. A run with the same seed on the same machine gives the
 * same image bit for bit. The builder is mutable and may be rendered more than once.
 */
public final class FeatureVis {
    /** The smallest image side accepted, whatever the model. */
    public static final int MIN_SIZE = 8;

    private final Model model;
    private VisObjective objective;
    private ImageParam param = ImageParams.fourier();
    private Transform transforms = Transforms.standard();
    private int steps = 512;
    /** The learning rate given, or NaN for the parameterisation's own ({@link ImageParam#learningRate()}). */
    private double lr = Double.NaN;
    private int height = 128;
    private int width = 128;
    private int batch = 1;
    private long seed = 0;
    private final Set<Integer> thresholds = new TreeSet<>();
    private List<BufferedImage> start = List.of();
    private List<String> labels;
    private int redirectSteps = 16;

    private FeatureVis(Model model) {
        this.model = model;
    }

    public static FeatureVis of(Model model) {
        if (model == null) {
            throw new IllegalArgumentException("feature visualisation needs a model");
        }
        return new FeatureVis(model);
    }

    /**
     * A layer sheet: one batched optimisation in which image i maximises {@code channels[i]} of {@code layer}; the
     * images are labelled with their units.
     */
    public static FeatureVis sheet(Model model, String layer, int... channels) {
        List<String> names = new ArrayList<>();
        for (int c : channels) {
            names.add(layer + ":" + c);
        }
        return of(model).objective(Objectives.sheet(layer, channels)).batch(channels.length).labels(names);
    }

    public FeatureVis objective(VisObjective o) {
        this.objective = o;
        return this;
    }

    /** The unit {@code layer:channel} or {@code layer:channel@y,x}. */
    public FeatureVis objective(String unit) {
        return objective(Objectives.unit(unit));
    }

    public FeatureVis param(ImageParam p) {
        this.param = p;
        return this;
    }

    public FeatureVis transforms(Transform t) {
        this.transforms = t == null ? Transforms.none() : t;
        return this;
    }

    public FeatureVis steps(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("steps must be at least 1, not " + n);
        }
        this.steps = n;
        return this;
    }

    public FeatureVis learningRate(double v) {
        if (!(v > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, not " + v);
        }
        this.lr = v;
        return this;
    }

    public FeatureVis size(int side) {
        return size(side, side);
    }

    public FeatureVis size(int h, int w) {
        if (h < MIN_SIZE || w < MIN_SIZE) {
            throw new ModelException("image size " + h + "x" + w + " is too small: feature visualisation needs at "
                    + "least " + MIN_SIZE + "x" + MIN_SIZE);
        }
        this.height = h;
        this.width = w;
        return this;
    }

    /** How many images to optimise together (each gets the objective unless it uses onImage). */
    public FeatureVis batch(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("batch must be at least 1, not " + n);
        }
        this.batch = n;
        return this;
    }

    public FeatureVis seed(long s) {
        this.seed = s;
        return this;
    }

    /** Steps after which the images are kept as well as at the end (e.g. 32, 128, 512). */
    public FeatureVis thresholds(int... stepNumbers) {
        thresholds.clear();
        for (int t : stepNumbers) {
            thresholds.add(t);
        }
        return this;
    }

    /** Starts from these images (one, or one per batch entry) instead of noise. */
    public FeatureVis startFrom(BufferedImage... images) {
        this.start = List.of(images);
        return this;
    }

    /**
     * For how many first steps the gradient is redirected through closed ReLUs at the objective's layers
     * (default 16, as Lucid; 0 turns it off). See {@link ReluRedirect}.
     */
    public FeatureVis reluRedirectSteps(int n) {
        this.redirectSteps = Math.max(0, n);
        return this;
    }

    public FeatureVis labels(List<String> names) {
        this.labels = List.copyOf(names);
        return this;
    }

    public Model model() {
        return model;
    }

    /** Runs without progress reports. */
    public FeatureVisResult render() {
        return render(Progress.NONE);
    }

    /**
     * Runs the optimisation. When {@code progress} reports cancellation the loop stops after the current step
     * (well within a second for ordinary sizes) and the result holds the images as optimised so far, marked
     * interrupted.
     */
    public FeatureVisResult render(Progress progress) {
        if (objective == null) {
            throw new ModelException("no objective: call objective(...) first, e.g. "
                    + "objective(Objectives.channel(\"layer\", 0))");
        }
        objective.validate(model, batch);
        List<String> modelLayers = new ArrayList<>(new LinkedHashSet<>(objective.layers()));
        modelLayers.remove(Objectives.INPUT);
        Map<String, long[]> ownSizes = checkSize(modelLayers);
        Map<String, ReceptiveField> fields = new HashMap<>();
        Function<String, ReceptiveField> fieldOf = l -> fields.computeIfAbsent(l, k -> ReceptiveField.of(model, k));
        ReluRedirect redirect = new ReluRedirect(model, modelLayers);
        List<String> redirectLayers = new ArrayList<>(new LinkedHashSet<>(modelLayers));
        redirectLayers.addAll(redirect.extraLayers());

        DjlSetup.engine().setRandomSeed((int) (seed ^ (seed >>> 32)));
        Random random = new Random(seed);
        ImageParam.Instance inst = param.create(batch, model.input().channels(), height, width, random, start);
        float[] values = inst.values();
        Shape shape = new Shape(inst.shape());
        Adam adam = new Adam(Double.isNaN(lr) ? param.learningRate() : lr, values.length);
        ImageParam.LinearStage stage = inst.linearStage();
        List<float[]> trace = new ArrayList<>();
        Map<Integer, List<BufferedImage>> snapshots = new LinkedHashMap<>();
        boolean interrupted = false;
        long t0 = System.nanoTime();
        long lastReport = 0;
        int done = 0;
        try (NDManager base = model.newManager()) {
            for (int step = 1; step <= steps; step++) {
                if (progress.cancelled()) {
                    interrupted = true;
                    break;
                }
                float[] perImage;
                float[] grad;
                try (NDManager sm = base.newSubManager()) {
                    NDArray p = sm.create(values, shape);
                    NDArray leaf = p;
                    if (stage != null) {
                        // the linear stage runs outside autograd; its adjoint maps the gradient back below
                        leaf = stage.forward(p);
                    }
                    leaf.setRequiresGradient(true);
                    try (GradientCollector gc = DjlSetup.engine().newGradientCollector()) {
                        NDArray images = stage != null ? stage.head(leaf) : inst.images(leaf);
                        Transform.Placed seen = transforms.place(images, random);
                        Map<String, NDArray> acts = new HashMap<>();
                        boolean redirecting = step <= redirectSteps && redirect.applies();
                        if (!modelLayers.isEmpty()) {
                            acts.putAll(model.forward(seen.images(), redirecting ? redirectLayers : modelLayers));
                        }
                        if (redirecting) {
                            redirect.apply(acts);
                        }
                        acts.put(Objectives.INPUT, images);
                        NDArray v = objective.perImage(acts, new Seen(seen.placement(), fieldOf, ownSizes));
                        gc.backward(v.sum().neg());
                        perImage = v.toFloatArray();
                    }
                    grad = stage != null ? stage.adjoint(leaf.getGradient()).toFloatArray()
                            : leaf.getGradient().toFloatArray();
                }
                // the gradient of −objective: ascend its negation
                for (int i = 0; i < grad.length; i++) {
                    grad[i] = -grad[i];
                }
                adam.ascend(values, grad);
                trace.add(perImage);
                done = step;
                if (thresholds.contains(step) && step != steps) {
                    snapshots.put(step, images(inst, base));
                }
                long now = System.nanoTime();
                if (now - lastReport > 100_000_000L || step == steps) {
                    lastReport = now;
                    progress.update(step, steps, "step " + step + "/" + steps + ", objective "
                            + String.format("%.4g", mean(perImage)));
                }
            }
            List<BufferedImage> finalImages = images(inst, base);
            if (done > 0) {
                snapshots.put(done, finalImages);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            progress.finish(interrupted ? "interrupted after " + done + " of " + steps + " steps"
                    : "done: " + steps + " steps in " + String.format("%.1f s", seconds));
            return new FeatureVisResult(objective.description(), labelsFor(), finalImages, trace, snapshots,
                    interrupted, done, steps, seconds, param.name(), transforms.toString(), seed, model.name());
        }
    }

    private List<String> labelsFor() {
        if (labels != null && labels.size() == batch) {
            return labels;
        }
        List<String> l = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            l.add(batch == 1 ? objective.description() : objective.description() + " #" + i);
        }
        return l;
    }

    /** The current images on the heap. */
    private static List<BufferedImage> images(ImageParam.Instance inst, NDManager base) {
        try (NDManager sm = base.newSubManager()) {
            NDArray p = sm.create(inst.values(), new Shape(inst.shape()));
            NDArray img = inst.images(p);
            Tensor t = new Tensor(img.getShape().getShape(), img.toFloatArray());
            List<BufferedImage> out = new ArrayList<>();
            for (int i = 0; i < inst.batch(); i++) {
                out.add(Images.toPicture(t, i));
            }
            return out;
        }
    }

    /**
     * Runs the model on a grey image of the size being optimised, for the layers' own sizes (which positions such as
     * {@code layer:c@y,x} refer to), and the objective once on grey images of the smallest size the transforms
     * produce, so that a size the model cannot take, or an objective that does not fit the layer, fails now with a
     * clear message.
     */
    private Map<String, long[]> checkSize(List<String> modelLayers) {
        int minH = transforms.minOutputSize(height);
        int minW = transforms.minOutputSize(width);
        Map<String, long[]> ownSizes = new HashMap<>();
        RuntimeException atSize = tryObjective(modelLayers, height, width, ownSizes, true);
        int failedSide = Math.min(height, width);
        if (atSize == null) {
            atSize = tryObjective(modelLayers, Math.max(1, minH), Math.max(1, minW), ownSizes, false);
            failedSide = Math.min(minH, minW);
        }
        if (atSize == null) {
            return ownSizes;
        }
        // Only blame the size when the objective works at the model's own input size.
        RuntimeException atOwnSize = tryObjective(modelLayers, model.input().height(), model.input().width(),
                new HashMap<>(), true);
        if (atOwnSize != null) {
            throw new ModelException("objective " + objective.description() + " cannot be computed on model '"
                    + model.name() + "': " + atOwnSize.getMessage(), atOwnSize);
        }
        throw tooSmall(failedSide, atSize);
    }

    /**
     * Runs the objective once on grey h×w images; the failure, or null. With {@code record}, the 4-D layers' sizes
     * at this image size go into {@code sizes} (positions are read in them), else they are only read from it.
     */
    private RuntimeException tryObjective(List<String> modelLayers, int h, int w, Map<String, long[]> sizes,
                                          boolean record) {
        try (NDManager m = model.newManager()) {
            NDArray grey = m.full(new Shape(batch, model.input().channels(), h, w), 0.5f);
            Map<String, NDArray> acts = new HashMap<>();
            if (!modelLayers.isEmpty()) {
                acts.putAll(model.forward(grey, modelLayers));
            }
            if (record) {
                acts.forEach((name, a) -> {
                    if (a.getShape().dimension() == 4) {
                        sizes.put(name, new long[] {a.getShape().get(2), a.getShape().get(3)});
                    }
                });
            }
            acts.put(Objectives.INPUT, grey);
            objective.perImage(acts, new Seen(Placement.IDENTITY, null, sizes));
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    private ModelException tooSmall(int side, RuntimeException e) {
        return new ModelException("image size " + height + "x" + width + " is too small for model '"
                + model.name() + "' and objective " + objective.description() + ": after the transforms ("
                + transforms + ") the model sees images down to " + side + " px, and then: " + e.getMessage()
                + ". Use a larger size (the model was built for " + model.input().height() + "x"
                + model.input().width() + ")", e);
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float f : v) {
            s += f;
        }
        return v.length == 0 ? 0 : s / v.length;
    }

    @Override
    public String toString() {
        return "FeatureVis[" + objective + ", " + steps + " steps, " + height + "x" + width + ", batch " + batch
                + ", " + param.name() + ", transforms " + transforms + ", seed " + seed + ", thresholds "
                + Arrays.toString(thresholds.toArray()) + "]";
    }
}
