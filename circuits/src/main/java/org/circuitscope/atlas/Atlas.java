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
import org.circuitscope.census.Census;
import org.circuitscope.data.ImageSource;
import org.circuitscope.data.Sample;
import org.circuitscope.dictionary.ActivationSample;
import org.circuitscope.dictionary.FeatureDictionary;
import org.circuitscope.dictionary.Polysemantic;
import org.circuitscope.examples.DatasetExamples;
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
 * page per unit (feature visualisations of the channel, of its centre neuron and negative, top and bottom dataset
 * examples with their receptive-field crops, the histogram of its per-image maxima with images sampled at levels of
 * it, its strongest input and output weights as heatmaps, a tuning curve; when asked, its family from a
 * {@link Census} and the features of a {@link FeatureDictionary} that load on it) and an index per layer with a grid
 * of thumbnails; units link to the units they read from and feed along the weights.
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
    private DatasetPasses passes = DatasetPasses.IN_JVM;
    private int steps = 64;
    private int size;
    private int examples = 6;
    private int units = -1;
    private int diversity;
    private int sheet = 16;
    private int images = -1;
    private boolean negative = true;
    private boolean neuron = true;
    private boolean census;
    private int levels = 8;
    private final Map<String, FeatureDictionary> dictionaries = new HashMap<>();
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

    /**
     * Where the dataset examples and per-image maxima are computed ({@link DatasetPasses#IN_JVM} by default; the
     * Spark module's {@code SparkAtlasPasses} on a cluster). The data is still read here for the images sampled at
     * activation levels, a few per unit.
     */
    public Atlas passes(DatasetPasses p) {
        this.passes = java.util.Objects.requireNonNull(p, "passes");
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

    /**
     * Whether to draw each unit's neuron visualisation (the channel at the centre position of the layer, as Lucid's
     * {@code neuron} objective); default true.
     */
    public Atlas neuron(boolean b) {
        this.neuron = b;
        return this;
    }

    /**
     * Whether to run a {@link Census} of each layer (its battery of synthetic stimuli and the family rules) and show
     * each unit's family, preferred orientation, size and colour with its best stimulus; default false (a census
     * of a layer costs about as much as its dataset passes).
     */
    public Atlas census(boolean b) {
        this.census = b;
        return this;
    }

    /**
     * How many images sampled by activation level each page shows beside the histogram (default 8: the images at
     * evenly spaced quantiles of the unit's per-image maximum, from the lowest to the highest; 0 for none).
     */
    public Atlas levels(int n) {
        if (n < 0 || n == 1) {
            throw new IllegalArgumentException("levels needs 0 (off) or at least 2 images, not " + n);
        }
        this.levels = n;
        return this;
    }

    /**
     * A dictionary learnt on one of the atlas's layers: that layer's pages list the features that load on each unit
     * (their mean contribution to it where it is positive, over the data; by decoder weight without data), with a
     * feature visualisation of each. One dictionary per layer; a later one for the same layer replaces it.
     */
    public Atlas dictionary(FeatureDictionary d) {
        if (d == null) {
            throw new IllegalArgumentException("dictionary is null");
        }
        Layer l = model.layers().get(d.layer());
        if (l.channels() != d.channels()) {
            throw new ModelException("dictionary '" + d.name() + "' was learnt on " + d.channels() + " channels of "
                    + d.layer() + ", but layer '" + l.name() + "' of model '" + model.name() + "' has "
                    + l.channels());
        }
        dictionaries.put(l.name(), d);
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
        for (String l : dictionaries.keySet()) {
            if (!names.contains(l)) {
                throw new ModelException("dictionary '" + dictionaries.get(l).name() + "' is on layer " + l
                        + ", which this atlas does not draw (layers " + String.join(", ", names) + ")");
            }
        }
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
            LayerExtras extras = null;
            for (int start = 0; start < pending.size(); start += sheet) {
                if (progress.cancelled()) {
                    interrupted = true;
                    break outer;
                }
                if (extras == null) {
                    progress.update(written + skipped, total, layer + ": census, dictionary, per-image maxima");
                    extras = layerExtras(layer);
                }
                List<Integer> part = pending.subList(start, Math.min(pending.size(), start + sheet));
                progress.update(written + skipped, total, layer + ": units " + part.get(0) + ".."
                        + part.get(part.size() - 1));
                written += writeUnits(files, layer, part, stimuli, weights, extras);
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
                + (neuron ? ", channel and centre neuron" : "")
                + (diversity > 0 ? ", diversity " + diversity + " images" : "")
                + (data != null ? "; dataset examples and histograms over " + data.name()
                + (images >= 0 ? " (first " + images + " images)" : "") : "; no dataset")
                + (census ? "; census of each layer (" + Census.DEFAULT_TEXTURES + " texture images)" : "")
                + (dictionaries.isEmpty() ? "" : "; dictionaries: " + String.join(", ", dictionaries.values().stream()
                .map(d -> d.name() + " on " + d.layer()).toList()));
    }

    /**
     * What a layer's pages share: its census, its dictionary's loadings and every image's maximum of each of its
     * channels (each null when not asked for, or without data).
     */
    record LayerExtras(Census census, FeatureDictionary dictionary, double[][] loadings, String loadingsFrom,
                       DatasetPasses.LayerMaxima maxima) {
    }

    private LayerExtras layerExtras(String layer) {
        Census c = census ? Census.of(model, layer) : null;
        FeatureDictionary d = dictionaries.get(layer);
        double[][] loadings = null;
        String from = null;
        if (d != null) {
            int channels = d.channels();
            loadings = new double[channels][];
            if (data != null) {
                int n = images >= 0 ? Math.min(images, DICTIONARY_IMAGES) : DICTIONARY_IMAGES;
                ActivationSample s = ActivationSample.collect(model, layer, data, n, DICTIONARY_POSITIONS, d.seed(),
                        16, Progress.NONE);
                try (var x = s.vectors()) {
                    loadings = Polysemantic.contributions(d, x);
                }
                from = "mean contribution to the unit where it is positive, over " + s.rows() + " positions of "
                        + s.images() + " images";
            } else {
                for (int ch = 0; ch < channels; ch++) {
                    loadings[ch] = new double[d.size()];
                    for (int i = 0; i < d.size(); i++) {
                        loadings[ch][i] = d.direction(i)[ch];
                    }
                }
                from = "the feature's decoder weight on the unit (no data given)";
            }
        }
        // one pass over the data gives the maxima of all the layer's channels, for every batch of its units
        DatasetPasses.LayerMaxima maxima = data != null ? passes.maxima(model, layer, data, images) : null;
        return new LayerExtras(c, d, loadings, from, maxima);
    }

    /** The features of {@code d} that load most on channel {@code c} (positive loadings only), strongest first. */
    static List<Integer> topFeatures(double[] loadings, int n) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < loadings.length; i++) {
            if (loadings[i] > 0) {
                idx.add(i);
            }
        }
        idx.sort((a, b) -> Double.compare(loadings[b], loadings[a]) != 0 ? Double.compare(loadings[b], loadings[a])
                : Integer.compare(a, b));
        return idx.subList(0, Math.min(n, idx.size()));
    }

    /**
     * Images {@code offset..offset+n-1} of a batched optimisation, where image {@code offset+i} maximised
     * {@code objectives.get(i)}; an image whose objective never went above zero (a ReLU unit closed on the starting
     * noise) is optimised again alone for {@link #RETRY_FACTOR} times the steps (seed: its channel + 1), and its
     * note says so.
     */
    private Drawn retryOff(FeatureVisResult r, int offset, List<VisObjective> objectives, int[] channels) {
        List<BufferedImage> images = new ArrayList<>(r.images().subList(offset, offset + objectives.size()));
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            double[] trace = r.trace(offset + i);
            String note = "";
            if (trace.length > 0 && !(trace[trace.length - 1] > 0)) {
                // an image that still shows only the starting noise says nothing: give this one alone more steps
                int more = steps * RETRY_FACTOR;
                FeatureVisResult alone = FeatureVis.of(model).objective(objectives.get(i)).steps(more).size(size)
                        .seed(channels[i] + 1L).render();
                double[] t = alone.trace(0);
                images.set(i, alone.image());
                note = "it stayed off in the layer sheet's " + steps + " steps; optimised alone for " + more
                        + (t.length > 0 && t[t.length - 1] > 0 ? " steps" : " steps, and it still stayed off");
            }
            notes.add(note);
        }
        return new Drawn(images, notes);
    }

    /** Images of a batch and a note for each (empty when nothing to say). */
    private record Drawn(List<BufferedImage> images, List<String> notes) {
    }

    /**
     * All pages of one batch of units of a layer: every image first, each unit's page last. The examples passes run
     * per batch, so memory holds the examples of one batch of units (not of a whole layer), at the cost of reading
     * the data again for each batch; the per-image maxima come from the layer's one pass.
     */
    private int writeUnits(AtlasFiles files, String layer, List<Integer> channels, StimulusSet stimuli,
                           AtlasWeights weights, LayerExtras extras) {
        int[] chs = channels.stream().mapToInt(Integer::intValue).toArray();
        List<String> labels = new ArrayList<>();
        List<VisObjective> channelObjectives = new ArrayList<>();
        List<VisObjective> neuronObjectives = new ArrayList<>();
        for (int c : chs) {
            labels.add(layer + ":" + c);
            channelObjectives.add(Objectives.channel(layer, c));
            neuronObjectives.add(Objectives.neuron(layer, c));
        }
        // one batched optimisation draws every image of the batch of units: the channels, their centre neurons and
        // their negatives (minimised before the ReLU, where the unit is 0 wherever it is not positive)
        List<VisObjective> negativeObjectives = new ArrayList<>();
        List<String> negativeNotes = new ArrayList<>();
        if (negative) {
            for (int c : chs) {
                Unit u = Unit.channel(layer, c);
                Unit before = DatasetExamples.beforeRelu(model.layers(), u);
                negativeNotes.add(before.equals(u) ? "" : "minimised before the ReLU, at " + before);
                negativeObjectives.add(Objectives.unit(before).negate());
            }
        }
        List<VisObjective> all = new ArrayList<>(channelObjectives);
        List<String> allLabels = new ArrayList<>(labels);
        if (neuron) {
            all.addAll(neuronObjectives);
            labels.forEach(l -> allLabels.add(l + "@centre"));
        }
        all.addAll(negativeObjectives);
        if (negative) {
            labels.forEach(l -> allLabels.add("−" + l));
        }
        VisObjective o = null;
        for (int i = 0; i < all.size(); i++) {
            VisObjective one = all.get(i).onImage(i);
            o = o == null ? one : o.plus(one);
        }
        FeatureVisResult drawn = FeatureVis.of(model).objective(o).batch(all.size()).labels(allLabels).steps(steps)
                .size(size).render();
        Drawn positive = retryOff(drawn, 0, channelObjectives, chs);
        Drawn neurons = neuron ? retryOff(drawn, chs.length, neuronObjectives, chs) : null;
        List<BufferedImage> negatives = negative ? drawn.images().subList(all.size() - chs.length, all.size()) : null;
        DatasetPasses.Passes found = null;
        Map<Integer, List<Level>> levelsOf = new HashMap<>();
        if (data != null) {
            List<Unit.Channel> units = new ArrayList<>();
            for (int c : chs) {
                units.add(Unit.channel(layer, c));
            }
            found = passes.examples(model, units, examples, data, images).with(extras.maxima(), units);
            if (levels > 0) {
                levelsOf = levels(found, chs);
            }
        }
        Map<Integer, BufferedImage> featureImages = featureVisualisations(files, layer, chs, extras);
        for (int i = 0; i < chs.length; i++) {
            Unit.Channel unit = Unit.channel(layer, chs[i]);
            UnitPage page = new UnitPage(model, unit, files, this::channelsOf);
            page.featureVis(positive.images().get(i), positive.notes().get(i),
                    neurons == null ? null : neurons.images().get(i), neurons == null ? "" : neurons.notes().get(i),
                    negatives == null ? null : negatives.get(i),
                    negativeNotes.isEmpty() ? "" : negativeNotes.get(i));
            if (diversity > 0) {
                VisObjective d = Objectives.channel(layer, chs[i])
                        .minus(Objectives.diversity(layer).times(DIVERSITY_WEIGHT));
                page.diversity(FeatureVis.of(model).objective(d).batch(diversity).steps(steps).size(size).render()
                        .images());
            }
            if (found != null) {
                page.examples(found.top().get(i), found.bottom().get(i));
                page.histogram(found.maxima().get(i), found.ids().size(), levelsOf.getOrDefault(chs[i], List.of()));
            }
            page.weights(weights.inputs(unit), weights.outputs(unit));
            if (stimuli != null) {
                page.tuning(TuningCurve.of(model, unit, stimuli));
            }
            if (extras.census() != null) {
                page.census(extras.census(), chs[i]);
            }
            if (extras.dictionary() != null) {
                page.dictionary(extras.dictionary(), topFeatures(extras.loadings()[chs[i]], FEATURES_SHOWN),
                        extras.loadings(), extras.loadingsFrom(), featureImages);
            }
            page.write(describe());
        }
        return chs.length;
    }

    /**
     * The feature visualisations of the dictionary features shown on these units' pages, from the layer's
     * {@code features/} folder when an earlier batch drew them, else drawn now in one batched optimisation
     * (image i maximises feature i, with the dictionary's seed) and written there.
     */
    private Map<Integer, BufferedImage> featureVisualisations(AtlasFiles files, String layer, int[] chs,
                                                              LayerExtras extras) {
        Map<Integer, BufferedImage> out = new HashMap<>();
        FeatureDictionary d = extras.dictionary();
        if (d == null) {
            return out;
        }
        java.util.TreeSet<Integer> needed = new java.util.TreeSet<>();
        for (int c : chs) {
            needed.addAll(topFeatures(extras.loadings()[c], FEATURES_SHOWN));
        }
        List<Integer> missing = new ArrayList<>();
        for (int f : needed) {
            BufferedImage img = files.featureImage(layer, d.name(), f);
            if (img != null) {
                out.put(f, img);
            } else {
                missing.add(f);
            }
        }
        for (int start = 0; start < missing.size(); start += sheet) {
            List<Integer> part = missing.subList(start, Math.min(missing.size(), start + sheet));
            VisObjective o = null;
            for (int i = 0; i < part.size(); i++) {
                VisObjective one = Objectives.feature(d.feature(part.get(i))).onImage(i);
                o = o == null ? one : o.plus(one);
            }
            FeatureVisResult r = FeatureVis.of(model).objective(o).batch(part.size()).steps(steps).size(size)
                    .seed(d.seed()).render();
            for (int i = 0; i < part.size(); i++) {
                writePng(files.featurePath(layer, d.name(), part.get(i)), r.images().get(i));
                out.put(part.get(i), r.images().get(i));
            }
        }
        return out;
    }

    /** An image sampled at an activation level: its quantile among the images, its value, the image. */
    record Level(double quantile, float value, String id, BufferedImage image) {
    }

    /**
     * For each channel, {@link #levels} images at evenly spaced quantiles of its per-image maximum (the image of rank
     * round(q·(n−1)) in ascending order, ties to the earlier image; one image once even if two quantiles land on
     * it), read again from the data in one pass.
     */
    private Map<Integer, List<Level>> levels(DatasetPasses.Passes found, int[] chs) {
        int n = found.ids().size();
        Map<Integer, List<int[]>> picks = new HashMap<>();
        Map<String, BufferedImage> wanted = new HashMap<>();
        for (int ci = 0; ci < chs.length; ci++) {
            int c = chs[ci];
            float[] v = found.maxima().get(ci);
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (a, b) -> v[a] != v[b] ? Float.compare(v[a], v[b]) : Integer.compare(a, b));
            List<int[]> p = new ArrayList<>();
            int last = -1;
            for (int l = 0; l < levels && n > 0; l++) {
                int rank = (int) Math.round(l * (n - 1) / (double) (levels - 1));
                if (rank == last) {
                    continue;
                }
                last = rank;
                p.add(new int[] {rank, order[rank]});
                wanted.put(found.ids().get(order[rank]), null);
            }
            picks.put(c, p);
        }
        ImageSource src = images >= 0 ? data.limit(images) : data;
        int read = 0;
        for (Sample s : src) {
            if (wanted.containsKey(s.id()) && wanted.get(s.id()) == null) {
                wanted.put(s.id(), s.image());
                if (++read == wanted.size()) {
                    break;
                }
            }
        }
        Map<Integer, List<Level>> out = new HashMap<>();
        for (int ci = 0; ci < chs.length; ci++) {
            int c = chs[ci];
            float[] v = found.maxima().get(ci);
            List<Level> ls = new ArrayList<>();
            for (int[] p : picks.get(c)) {
                String id = found.ids().get(p[1]);
                BufferedImage img = wanted.get(id);
                if (img != null) {
                    ls.add(new Level(n > 1 ? p[0] / (double) (n - 1) : 0, v[p[1]], id, img));
                }
            }
            out.put(c, ls);
        }
        return out;
    }

    /** Images the dictionary's loadings are measured on (at most), and positions per image. */
    static final int DICTIONARY_IMAGES = 64;
    static final int DICTIONARY_POSITIONS = 64;
    /** Dictionary features listed per unit. */
    static final int FEATURES_SHOWN = 4;

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
