package org.circuitscope.atlas;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.circuitscope.activations.ActivationResult;
import org.circuitscope.activations.Activations;
import org.circuitscope.activations.Reduce;
import org.circuitscope.data.ImageSource;
import org.circuitscope.examples.DatasetExamples;
import org.circuitscope.examples.ExamplesResult;
import org.circuitscope.featurevis.FeatureVis;
import org.circuitscope.featurevis.FeatureVisResult;
import org.circuitscope.featurevis.objectives.Objectives;
import org.circuitscope.featurevis.objectives.VisObjective;
import org.circuitscope.model.Layer;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Unit;
import org.circuitscope.ops.OpSet;
import org.circuitscope.progress.Progress;
import org.circuitscope.stimuli.Stimuli;
import org.circuitscope.stimuli.StimulusSet;
import org.circuitscope.stimuli.TuningCurve;
import org.circuitscope.weights.ExpandedWeights;

/**
 * A static atlas of a model, "Microscope for your own model": a folder of HTML pages, browsable offline, with one
 * page per unit (feature visualisations, top and bottom dataset examples with their receptive-field crops, the
 * histogram of its per-image maxima, its strongest input and output weights as heatmaps, a tuning curve) and an
 * index per layer with a grid of thumbnails; units link to the units they read from and feed along the weights.
 *
 * <pre>{@code
 * Atlas.of(model).layers("conv1", "conv2").data(World.scenes(2024, 1000)).steps(64).write(Path.of("atlas"));
 * }</pre>
 *
 * Resumable: a unit's page is written last (atomically), after all its images, so a run that stopped part-way
 * continues where it stopped and skips every unit whose page is complete. The indexes are rewritten each run.
 * Everything is computed by the engine's own classes (FeatureVis, DatasetExamples, Activations, Weights,
 * TuningCurve); this class only decides what goes on which page.
 */
public final class Atlas {
    private final Model model;
    private List<String> layers;
    private ImageSource data;
    private int steps = 64;
    private int size;
    private int examples = 6;
    private int units = -1;
    private int diversity;
    private int sheet = 16;
    private int images = -1;
    private boolean negative = true;
    private StimulusSet tuning;

    private Atlas(Model model) {
        this.model = model;
        this.size = Math.max(FeatureVis.MIN_SIZE, model.input().height());
    }

    public static Atlas of(Model model) {
        if (model == null) {
            throw new IllegalArgumentException("an atlas needs a model");
        }
        return new Atlas(model);
    }

    /** The layers to draw, in the order given (default: every rectified 4-D layer, the ReLU outputs). */
    public Atlas layers(String... names) {
        return layers(List.of(names));
    }

    public Atlas layers(List<String> names) {
        List<String> resolved = new ArrayList<>();
        for (String n : names) {
            Layer l = model.layers().get(n);
            if (!l.spatial()) {
                throw new ModelException("layer '" + n + "' is not a 4-D feature map (shape "
                        + java.util.Arrays.toString(l.shape()) + "); the atlas draws convolutional layers");
            }
            resolved.add(l.name());
        }
        if (resolved.isEmpty()) {
            throw new IllegalArgumentException("name at least one layer");
        }
        this.layers = List.copyOf(resolved);
        return this;
    }

    /** The images dataset examples and histograms are read from (none: pages without them). */
    public Atlas data(ImageSource source) {
        this.data = source;
        return this;
    }

    /** At most this many images of the data (all when negative). */
    public Atlas images(int n) {
        this.images = n;
        return this;
    }

    /** Optimisation steps of each feature visualisation (default 64: a sketch; Lucid uses 512). */
    public Atlas steps(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("steps must be at least 1, not " + n);
        }
        this.steps = n;
        return this;
    }

    /** The side of the feature visualisations (default the model's input size). */
    public Atlas size(int side) {
        if (side < FeatureVis.MIN_SIZE) {
            throw new IllegalArgumentException("size must be at least " + FeatureVis.MIN_SIZE + ", not " + side);
        }
        this.size = side;
        return this;
    }

    /** Top and bottom examples per unit (default 6). */
    public Atlas examples(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("examples must be at least 1, not " + k);
        }
        this.examples = k;
        return this;
    }

    /** Only the first {@code n} channels of each layer (all when negative). */
    public Atlas units(int n) {
        this.units = n;
        return this;
    }

    /**
     * Images of the diversity visualisation per unit (default 0: none). Each unit then needs its own optimisation
     * of this batch, with Lucid's diversity term, so it costs about one sheet per unit.
     */
    public Atlas diversity(int imagesPerUnit) {
        if (imagesPerUnit == 1 || imagesPerUnit < 0) {
            throw new IllegalArgumentException("diversity needs 0 (off) or at least 2 images, not " + imagesPerUnit);
        }
        this.diversity = imagesPerUnit;
        return this;
    }

    /** Whether to draw negative visualisations (minimising the unit, before its ReLU); default true. */
    public Atlas negative(boolean b) {
        this.negative = b;
        return this;
    }

    /** How many units one feature-visualisation batch optimises together (default 16). */
    public Atlas sheet(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("sheet must be at least 1, not " + n);
        }
        this.sheet = n;
        return this;
    }

    /** The stimuli of each unit's tuning curve (default: edges at 30° steps, both polarities; null for none). */
    public Atlas tuning(StimulusSet stimuli) {
        this.tuning = stimuli;
        return this;
    }

    public Model model() {
        return model;
    }

    public List<String> layerNames() {
        return layers != null ? layers : defaultLayers();
    }

    private List<String> defaultLayers() {
        List<String> out = new ArrayList<>();
        for (Layer l : model.layers().all()) {
            if (l.spatial() && OpSet.rectifies(l.op(), l.attributes())) {
                out.add(l.name());
            }
        }
        if (out.isEmpty()) {
            throw new ModelException("model '" + model.name() + "' has no rectified 4-D layers; name the layers");
        }
        return out;
    }

    public AtlasSite write(Path dir) {
        return write(dir, Progress.NONE);
    }

    /**
     * Writes (or completes) the site in {@code dir}. Cancelling stops after the current batch of units; their pages
     * are either complete or absent, so the next run continues.
     */
    public AtlasSite write(Path dir, Progress progress) {
        long t0 = System.nanoTime();
        List<String> names = layerNames();
        AtlasFiles files = new AtlasFiles(dir, names);
        StimulusSet stimuli = tuning != null ? tuning
                : Stimuli.edges().orientations(0, 360, 30).bothPolarities();
        Map<String, ExpandedWeights> cache = new HashMap<>();
        AtlasWeights weights = new AtlasWeights(model, names, files, cache);
        int written = 0;
        int skipped = 0;
        boolean interrupted = false;
        long total = 0;
        for (String layer : names) {
            total += channelsOf(layer);
        }
        files.writeStyle();
        outer:
        for (String layer : names) {
            int channels = channelsOf(layer);
            List<Integer> pending = new ArrayList<>();
            for (int c = 0; c < channels; c++) {
                if (files.complete(layer, c)) {
                    skipped++;
                } else {
                    pending.add(c);
                }
            }
            for (int start = 0; start < pending.size(); start += sheet) {
                if (progress.cancelled()) {
                    interrupted = true;
                    break outer;
                }
                List<Integer> part = pending.subList(start, Math.min(pending.size(), start + sheet));
                progress.update(written + skipped, total, layer + ": units " + part.get(0) + ".."
                        + part.get(part.size() - 1));
                written += writeUnits(files, layer, part, stimuli, weights);
            }
        }
        files.writeIndexes(model, this::channelsOf, describe());
        double seconds = (System.nanoTime() - t0) / 1e9;
        progress.finish((interrupted ? "interrupted: " : "") + written + " unit pages written, " + skipped
                + " already complete");
        return new AtlasSite(dir, files.index(), written, skipped, interrupted, seconds);
    }

    int channelsOf(String layer) {
        int c = (int) model.layers().get(layer).channels();
        return units >= 0 ? Math.min(units, c) : c;
    }

    private String describe() {
        return "feature visualisations: " + steps + " steps at " + size + "×" + size + " px"
                + (diversity > 0 ? ", diversity " + diversity + " images" : "")
                + (data != null ? "; dataset examples and histograms over " + data.name()
                + (images >= 0 ? " (first " + images + " images)" : "") : "; no dataset");
    }

    /**
     * All pages of one batch of units of a layer: every image first, each unit's page last. The dataset passes run
     * per batch, so memory holds the examples of one batch of units (not of a whole layer), at the cost of reading
     * the data again for each batch.
     */
    private int writeUnits(AtlasFiles files, String layer, List<Integer> channels, StimulusSet stimuli,
                           AtlasWeights weights) {
        int[] chs = channels.stream().mapToInt(Integer::intValue).toArray();
        List<String> labels = new ArrayList<>();
        for (int c : chs) {
            labels.add(layer + ":" + c);
        }
        FeatureVisResult positive = FeatureVis.sheet(model, layer, chs).steps(steps).size(size).render();
        List<BufferedImage> channelImages = new ArrayList<>(positive.images());
        List<String> channelNotes = new ArrayList<>();
        for (int i = 0; i < chs.length; i++) {
            double[] trace = positive.trace(i);
            String note = "";
            if (trace.length > 0 && !(trace[trace.length - 1] > 0)) {
                // the unit never switched on within the sheet's steps (a ReLU unit closed on the starting noise):
                // an image that still shows only that noise says nothing, so give this unit alone more steps
                int more = steps * RETRY_FACTOR;
                FeatureVisResult alone = FeatureVis.of(model).objective(Objectives.channel(layer, chs[i]))
                        .steps(more).size(size).seed(chs[i] + 1L).render();
                double[] t = alone.trace(0);
                channelImages.set(i, alone.image());
                note = "the unit stayed off in the layer sheet's " + steps + " steps; optimised alone for " + more
                        + (t.length > 0 && t[t.length - 1] > 0 ? " steps" : " steps, and it still stayed off");
            }
            channelNotes.add(note);
        }
        FeatureVisResult negatives = null;
        List<String> negativeNotes = new ArrayList<>();
        if (negative) {
            VisObjective o = null;
            for (int i = 0; i < chs.length; i++) {
                Unit u = Unit.channel(layer, chs[i]);
                // after a ReLU the unit is 0 wherever it is not positive: minimise it before the ReLU
                Unit before = DatasetExamples.beforeRelu(model.layers(), u);
                negativeNotes.add(before.equals(u) ? "" : "minimised before the ReLU, at " + before);
                VisObjective one = Objectives.unit(before).negate().onImage(i);
                o = o == null ? one : o.plus(one);
            }
            negatives = FeatureVis.of(model).objective(o).batch(chs.length).labels(labels).steps(steps).size(size)
                    .render();
        }
        List<ExamplesResult> top = List.of();
        List<ExamplesResult> bottom = List.of();
        ActivationResult acts = null;
        if (data != null) {
            List<Unit> units = new ArrayList<>();
            for (int c : chs) {
                units.add(Unit.channel(layer, c));
            }
            top = DatasetExamples.of(model, units).k(examples).limit(images).runAll(data, Progress.NONE);
            bottom = DatasetExamples.of(model, units).k(examples).negative(true).limit(images)
                    .runAll(data, Progress.NONE);
            acts = Activations.of(model).layers(layer).reduce(Reduce.MAX).limit(images).run(data);
        }
        for (int i = 0; i < chs.length; i++) {
            Unit.Channel unit = Unit.channel(layer, chs[i]);
            UnitPage page = new UnitPage(model, unit, files, this::channelsOf);
            page.featureVis(channelImages.get(i), channelNotes.get(i),
                    negatives == null ? null : negatives.images().get(i),
                    negativeNotes.isEmpty() ? "" : negativeNotes.get(i));
            if (diversity > 0) {
                VisObjective d = Objectives.channel(layer, chs[i])
                        .minus(Objectives.diversity(layer).times(DIVERSITY_WEIGHT));
                page.diversity(FeatureVis.of(model).objective(d).batch(diversity).steps(steps).size(size).render()
                        .images());
            }
            if (data != null) {
                page.examples(top.get(i), bottom.get(i));
                page.histogram(acts.column(unit.toString()), acts.images());
            }
            page.weights(weights.inputs(unit), weights.outputs(unit));
            if (stimuli != null) {
                page.tuning(TuningCurve.of(model, unit, stimuli));
            }
            page.write(describe());
        }
        return chs.length;
    }

    /**
     * The weight of the diversity term against the channel objective: with it the images of a batch differ
     * visibly while each still drives the unit (the cosine-similarity term is at most 1 per image).
     */
    static final double DIVERSITY_WEIGHT = 1.0;

    /** How many times the sheet's steps a unit that stayed off in its sheet gets on its own. */
    static final int RETRY_FACTOR = 4;

    /** What a run produced: where the site is, and how many unit pages it wrote or found complete. */
    public record AtlasSite(Path dir, Path index, int written, int skipped, boolean interrupted, double seconds) {
        @Override
        public String toString() {
            return "atlas at " + index + ": " + written + " unit pages written, " + skipped + " already complete"
                    + (interrupted ? " (interrupted: run again to continue)" : "")
                    + String.format(java.util.Locale.ROOT, " in %.1f s", seconds);
        }
    }

    static void writeAtomically(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".part");
            Files.write(tmp, bytes);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
        }
    }

    static void writePng(Path file, BufferedImage img) {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            javax.imageio.ImageIO.write(img, "png", out);
            writeAtomically(file, out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
