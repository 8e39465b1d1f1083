package org.circuitscope.circuit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.circuitscope.data.ImageSource;
import org.circuitscope.data.Sample;
import org.circuitscope.dictionary.VirtualWeights;
import org.circuitscope.image.Images;
import org.circuitscope.model.DjlSetup;
import org.circuitscope.model.Layer;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Unit;
import org.circuitscope.ops.OpSet;
import org.circuitscope.progress.Progress;
import org.circuitscope.tensor.Tensor;
import org.circuitscope.weights.ConvChannel;
import org.circuitscope.weights.ExpandedWeights;
import org.circuitscope.weights.SubNetwork;
import org.circuitscope.weights.Thumbnails;
import org.circuitscope.weights.UnitInputs;
import org.circuitscope.weights.Weights;

/**
 * A circuit around one unit, as in "Zoom In" (Olah et al., 2020): the unit, its strongest inputs, theirs in turn, down
 * to {@link #depth}. {@code Circuit.of(model, "fire4/concat:12").depth(2).top(6).build()}.
 * <p>Inputs are ranked by the L2 norm of their weights ({@link Ranking#WEIGHTS}) or by their attribution on a data
 * source ({@link Ranking#ATTRIBUTION}: the mean over images of Σ activation × gradient of the unit with respect to
 * the input's map, in the actual network); either way each edge records both when a data source is given. A unit's
 * inputs are the channels of its convolution's input layer, or of the layers given with {@link #layers} (one per
 * level, read through expanded weights, e.g. from {@code fire3/concat} over the squeeze 1×1). A convolution that
 * reads a pool takes its inputs from the layer before the pool, through expanded weights ({@link #throughPools}).
 * <p>With a data source the result also carries the {@link PruningCheck}: how much of the unit's activation above
 * its baseline the circuit alone explains; {@link #explain} grows the circuit until that reaches a given fraction.
 * Units show feature visualisations by default ({@link #thumbnails}).
 * <p>Units may be dictionary features ({@code layer/dict:index}, with the dictionaries given to
 * {@link #dictionaries}): the circuit of a feature, or a level read through a dictionary on the lower layer
 * ({@code layers("conv2/low")}). Edges into or out of a feature are virtual weights ({@link VirtualWeights#into}:
 * the upper encoder row, the linearised path, the lower decoder rows); a feature's value is its map
 * ({@link Unit.Feature#map}); its attribution is the mean over images of Σ code ⊙ (decoder row · ∂unit/∂layer); and
 * in the pruning check a lower layer read through a dictionary is rebuilt from the kept features alone, as
 * Σ value × decoder row (no decoder bias, so keeping every feature explains only as much as the dictionary
 * reconstructs).
 */
public final class Circuit {

    /** How a unit's inputs are ranked. */
    public enum Ranking {
        WEIGHTS, ATTRIBUTION;

        public static Ranking parse(String s) {
            for (Ranking r : values()) {
                if (r.name().equalsIgnoreCase(s.trim())) {
                    return r;
                }
            }
            throw new IllegalArgumentException("rank by 'weights' or 'attribution', not '" + s + "'");
        }
    }

    private final Model model;
    /** A channel or a dictionary feature. */
    private final Unit target;
    private Map<String, ? extends Unit.FeatureBasis> dictionaries = Map.of();
    private int depth = 2;
    private int top = 6;
    private Ranking ranking = Ranking.WEIGHTS;
    private ImageSource data;
    private int images = 32;
    private int batchSize = 16;
    private List<String> layers = List.of();
    /** Null: feature visualisations of every unit (64 steps at 64×64), as in the paper's diagrams. */
    private Thumbnails thumbnails;
    private boolean prune = true;
    private double explain;
    private boolean skipPools = true;

    private Circuit(Model model, Unit target) {
        this.model = model;
        this.target = target;
    }

    public static Circuit of(Model model, Unit.Channel unit) {
        return new Circuit(model, unit);
    }

    /**
     * The circuit of a channel or of a dictionary feature (give the feature's dictionary with
     * {@link #dictionaries}).
     */
    public static Circuit of(Model model, Unit unit) {
        if (!(unit instanceof Unit.Channel) && !(unit instanceof Unit.Feature)) {
            throw new ModelException("a circuit is built around a channel (layer:channel) or a dictionary feature "
                    + "(layer/dictionary:index), not " + unit);
        }
        return new Circuit(model, unit);
    }

    public static Circuit of(Model model, String unit) {
        return of(model, unit, Map.of());
    }

    /**
     * The circuit of {@code unit}, where {@code layer/name:index} names a feature of one of {@code dictionaries}
     * (which the circuit's levels may then also be read through, {@code layers("conv2/name")}).
     */
    public static Circuit of(Model model, String unit, Map<String, ? extends Unit.FeatureBasis> dictionaries) {
        return of(model, Unit.parse(unit, dictionaries)).dictionaries(dictionaries);
    }

    /**
     * The dictionaries by the names their features are written with: the circuit's unit may be one of their
     * features, and a level given to {@link #layers} as {@code layer/name} reads its inputs as that dictionary's
     * features.
     */
    public Circuit dictionaries(Map<String, ? extends Unit.FeatureBasis> named) {
        this.dictionaries = Map.copyOf(named);
        return this;
    }

    /** How many levels of inputs (1: the unit and its inputs; 2: also their inputs; …). */
    public Circuit depth(int d) {
        if (d < 1 || d > 6) {
            throw new IllegalArgumentException("depth must be between 1 and 6, not " + d);
        }
        this.depth = d;
        return this;
    }

    /** How many inputs to keep per unit (the strongest). */
    public Circuit top(int k) {
        if (k < 1 || k > 64) {
            throw new IllegalArgumentException("top must be between 1 and 64, not " + k);
        }
        this.top = k;
        return this;
    }

    public Circuit by(Ranking r) {
        this.ranking = r;
        return this;
    }

    /** The data source for attribution and the pruning check, and how many of its images to use. */
    public Circuit data(ImageSource source, int maxImages) {
        if (maxImages < 1) {
            throw new IllegalArgumentException("use at least 1 image, not " + maxImages);
        }
        this.data = source;
        this.images = maxImages;
        return this;
    }

    public Circuit data(ImageSource source) {
        return data(source, images);
    }

    /**
     * The upstream layer of each level, top down (level 1 first); levels without one use the conv's input. A level
     * written {@code layer/name} reads its inputs as the features of dictionary {@code name} on that layer.
     */
    public Circuit layers(String... perLevel) {
        this.layers = List.of(perLevel);
        return this;
    }

    /**
     * The pictures on the units; by default feature visualisations (64 steps at 64×64), {@link Thumbnails#none()}
     * for numbered discs.
     */
    public Circuit thumbnails(Thumbnails t) {
        this.thumbnails = t;
        return this;
    }

    /**
     * Grow the circuit until it explains at least {@code fraction} of the unit's activation above its baseline (see
     * {@link PruningCheck#explained()}): the inputs kept per unit (the same number for every unit, starting at
     * {@link #top}) are doubled until the pruning check reaches the fraction, then bisected back to the smallest
     * number that does. Needs a data source. 0 (the default) keeps {@link #top} as given.
     */
    public Circuit explain(double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("explain takes a fraction between 0 and 1, not " + fraction);
        }
        this.explain = fraction;
        return this;
    }

    /** Whether to run the pruning check (needs a data source; on by default). */
    public Circuit prune(boolean b) {
        this.prune = b;
        return this;
    }

    /**
     * Whether a unit whose convolution reads a pool takes its inputs from the layer before the pool, through
     * expanded weights (the default), rather than from the pool's channels.
     */
    public Circuit throughPools(boolean b) {
        this.skipPools = b;
        return this;
    }

    public Circuit batchSize(int n) {
        this.batchSize = Math.max(1, n);
        return this;
    }

    public CircuitResult build() {
        return build(Progress.NONE);
    }

    public CircuitResult build(Progress progress) {
        Layer targetLayer = model.layers().get(target.layer());
        Unit root;
        if (target instanceof Unit.Feature f) {
            basisOf(f);
            f.check(targetLayer.channels());
            root = f;
        } else {
            Unit.Channel tc = (Unit.Channel) target;
            root = Unit.channel(targetLayer.name(), tc.channel());
            if (tc.channel() >= targetLayer.channels()) {
                throw new ModelException("layer '" + targetLayer.name() + "' has " + targetLayer.channels()
                        + " channels (0.." + (targetLayer.channels() - 1) + "); there is no channel "
                        + tc.channel());
            }
        }
        for (String given : layers) {
            view(given);
        }
        if (ranking == Ranking.ATTRIBUTION && data == null) {
            throw new ModelException("ranking by attribution needs a data source: give one with data(...) "
                    + "(%circuit … --data SOURCE)");
        }
        if (explain > 0 && (data == null || !prune)) {
            throw new ModelException("growing a circuit to explain " + explain + " of its unit needs the pruning "
                    + "check: give a data source with data(...) (%circuit … --data SOURCE) and leave pruning on");
        }
        List<Tensor> batches = data == null ? List.of() : loadBatches();
        int imageCount = batches.stream().mapToInt(t -> (int) t.dim(0)).sum();
        RankedInputs ranked = new RankedInputs(batches, imageCount, progress);
        int k = top;
        Selection sel = select(root, k, ranked, progress);
        PruningCheck pruning = null;
        List<PruningCheck.Step> growth = new ArrayList<>();
        if (prune && !batches.isEmpty() && !progress.cancelled()) {
            pruning = pruningCheck(root, sel, batches, imageCount, k, progress);
            growth.add(pruning.step());
            if (explain > 0) {
                // double the inputs kept per unit until the circuit explains enough (or keeps every input), then
                // bisect back to the smallest count that still does
                int failing = k;
                while (pruning.explained() < explain && k < sel.widest() && !progress.cancelled()) {
                    failing = k;
                    k = Math.min(2 * k, sel.widest());
                    sel = select(root, k, ranked, progress);
                    pruning = pruningCheck(root, sel, batches, imageCount, k, progress);
                    growth.add(pruning.step());
                }
                int passing = k;
                Selection best = sel;
                PruningCheck bestCheck = pruning;
                while (pruning.explained() >= explain && passing - failing > 1 && !progress.cancelled()) {
                    int mid = (failing + passing) / 2;
                    Selection s = select(root, mid, ranked, progress);
                    PruningCheck c = pruningCheck(root, s, batches, imageCount, mid, progress);
                    growth.add(c.step());
                    if (c.explained() >= explain) {
                        passing = mid;
                        best = s;
                        bestCheck = c;
                    } else {
                        failing = mid;
                    }
                }
                k = passing;
                sel = best;
                pruning = bestCheck;
            }
        }
        progress.update(4, 5, "thumbnails");
        Thumbnails thumbs = thumbnails != null ? thumbnails : Thumbnails.featureVis(model, 64, 64);
        Map<Unit, BufferedImage> images = thumbs.all(sel.nodes.keySet(), progress);
        progress.finish("circuit of " + root + ": " + sel.nodes.size() + " units, " + sel.edges.size() + " edges"
                + (pruning == null ? "" : String.format(Locale.ROOT, ", explains %.2f", pruning.explained())));
        List<String> order = model.layers().names();
        Set<Unit> units = sel.nodes.keySet();
        List<String> rows = units.stream().map(CircuitNode::rowOf).distinct()
                .sorted(Comparator.comparingInt((String r) -> order.indexOf(layerOfRow(r, units))).reversed())
                .toList();
        return new CircuitResult(model.name(), root, depth, k, ranking, List.copyOf(sel.nodes.values()),
                List.copyOf(sel.edges), images, thumbs.description(), pruning, explain, List.copyOf(growth),
                data == null ? null : data.name(), rows);
    }

    /** The units and edges of the circuit that keeps {@code k} inputs per unit, and where each unit's inputs are. */
    private record Selection(Map<Unit, CircuitNode> nodes, List<CircuitEdge> edges,
                             Map<Unit, View> inputLayerOf, int widest) {
    }

    /**
     * Where a level's units live: a layer's channels ({@code basis} null) or the features of a dictionary learnt on
     * the layer.
     */
    private record View(String layer, Unit.FeatureBasis basis) {
        Unit unit(int i) {
            return basis == null ? Unit.channel(layer, i) : basis.feature(i);
        }

        @Override
        public String toString() {
            return basis == null ? layer : layer + "/" + basis.feature(0).dictionary();
        }
    }

    /** A level given as {@code layer} or {@code layer/dictionary}. */
    private View view(String given) {
        Unit.FeatureBasis d = Unit.dictionaryView(given, dictionaries);
        return d != null ? new View(model.layers().get(d.layer()).name(), d)
                : new View(model.layers().get(given).name(), null);
    }

    /** The dictionary a feature belongs to, which must have been given. */
    private Unit.FeatureBasis basisOf(Unit.Feature f) {
        Unit.FeatureBasis d = dictionaries.get(f.dictionary());
        if (d == null || !d.layer().equals(f.layer())) {
            throw new ModelException("the circuit of " + f + " needs its dictionary '" + f.dictionary() + "' on "
                    + f.layer() + ": give it with dictionaries(...)" + (dictionaries.isEmpty() ? ""
                    : " (given: " + String.join(", ", dictionaries.keySet()) + ")"));
        }
        return d;
    }

    /** Which of its view's units a unit is: a channel's index or a feature's. */
    private static int indexOf(Unit u) {
        return CircuitNode.indexOf(u);
    }

    /** The layer of a diagram row (a layer, or layer/dictionary), from the units on it. */
    private static String layerOfRow(String row, java.util.Collection<Unit> units) {
        for (Unit u : units) {
            if (CircuitNode.rowOf(u).equals(row)) {
                return u.layer();
            }
        }
        return row;
    }

    private Selection select(Unit root, int k, RankedInputs ranked, Progress progress) {
        Map<Unit, CircuitNode> nodes = new LinkedHashMap<>();
        Map<Unit, View> inputLayerOf = new LinkedHashMap<>();
        List<CircuitEdge> edges = new ArrayList<>();
        int widest = 0;
        nodes.put(root, new CircuitNode(root, 0));
        List<Unit> frontier = List.of(root);
        for (int level = 1; level <= depth && !frontier.isEmpty() && !progress.cancelled(); level++) {
            progress.update(Math.min(level, 3), 5, "level " + level + ": inputs of " + frontier.size() + " units");
            List<Unit> next = new ArrayList<>();
            for (Map.Entry<Unit, Ranked> e : ranked.of(frontier, level).entrySet()) {
                Unit u = e.getKey();
                Ranked r = e.getValue();
                inputLayerOf.put(u, r.inputs().from());
                widest = Math.max(widest, r.order().size());
                for (int i : r.order().subList(0, Math.min(k, r.order().size()))) {
                    Inputs.Weight w = r.inputs().input(i);
                    edges.add(new CircuitEdge(w.input(), u, w.kernel(), w.kh(), w.kw(), w.norm(), w.sum(),
                            r.attribution() == null ? Double.NaN : r.attribution()[i], r.inputs().expanded()));
                    if (!nodes.containsKey(w.input())) {
                        nodes.put(w.input(), new CircuitNode(w.input(), level));
                        next.add(w.input());
                    }
                }
            }
            frontier = next;
        }
        return new Selection(nodes, edges, inputLayerOf, widest);
    }

    /** A unit's inputs in ranking order, with their attributions when there is data. */
    private record Ranked(Inputs inputs, double[] attribution, List<Integer> order) {
    }

    /**
     * The weights into one unit from every unit of an input view: {@code kernels} is inputs×kh×kw, a convolution's
     * own kernels or expanded weights between channels ({@link Weights#into}), virtual weights when a feature is
     * on either side ({@link VirtualWeights#into}).
     */
    private record Inputs(Unit unit, View from, Tensor kernels, boolean expanded) {
        record Weight(Unit input, float[] kernel, int kh, int kw, double norm, double sum) {
        }

        static Inputs of(UnitInputs in) {
            return new Inputs(in.unit(), new View(in.from(), null), in.kernels(), in.expanded());
        }

        int count() {
            return (int) kernels.dim(0);
        }

        Weight input(int i) {
            int kh = (int) kernels.dim(1);
            int kw = (int) kernels.dim(2);
            float[] k = java.util.Arrays.copyOfRange(kernels.data(), i * kh * kw, (i + 1) * kh * kw);
            double sq = 0;
            double sum = 0;
            for (float v : k) {
                sq += (double) v * v;
                sum += v;
            }
            return new Weight(from.unit(i), k, kh, kw, Math.sqrt(sq), sum);
        }

        /** The inputs with any weight, largest L2 norm first (ties by index), as {@link UnitInputs#ranked}. */
        List<Integer> byNorm() {
            double[] norm = new double[count()];
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < norm.length; i++) {
                norm[i] = input(i).norm();
                if (norm[i] > 0) {
                    order.add(i);
                }
            }
            order.sort(Comparator.comparingDouble((Integer i) -> -norm[i]).thenComparing(i -> i));
            return order;
        }
    }

    /** The weights into {@code u} from the view {@code given} (null: its default input layer). */
    private Inputs inputsOf(Unit u, View given, Map<String, ExpandedWeights> cache) {
        if (u instanceof Unit.Channel c && (given == null || given.basis() == null)) {
            return Inputs.of(Weights.into(model, c, given == null ? defaultInputLayer(c) : given.layer(), cache));
        }
        View from = given != null ? given : new View(defaultInputLayer(u), null);
        if (from.layer() == null) {
            throw new ModelException("unit " + u + " has no input layer of its own: give one with layers(...)");
        }
        Unit.FeatureBasis upper = u instanceof Unit.Feature f ? basisOf(f) : null;
        Tensor k = VirtualWeights.into(model, from.layer(), from.basis(), u.layer(), upper, indexOf(u), cache);
        return new Inputs(u, new View(model.layers().get(from.layer()).name(), from.basis()), k, true);
    }

    /**
     * Every unit's inputs, read and ranked once however often the circuit is rebuilt while it grows; attributions are
     * computed for all the new units of a level together (one pass over the data).
     */
    private final class RankedInputs {
        private final Map<Unit, Ranked> done = new HashMap<>();
        private final Set<Unit> leaves = new HashSet<>();
        private final Map<String, ExpandedWeights> cache = new HashMap<>();
        private final List<Tensor> batches;
        private final int imageCount;
        private final Progress progress;

        RankedInputs(List<Tensor> batches, int imageCount, Progress progress) {
            this.batches = batches;
            this.imageCount = imageCount;
            this.progress = progress;
        }

        /** The ranked inputs of the units that have inputs of their own, in frontier order. */
        Map<Unit, Ranked> of(List<Unit> frontier, int level) {
            View given = layers.size() >= level ? view(layers.get(level - 1)) : null;
            Map<Unit, Inputs> fresh = new LinkedHashMap<>();
            for (Unit u : frontier) {
                if (done.containsKey(u) || leaves.contains(u)) {
                    continue;
                }
                try {
                    fresh.put(u, inputsOf(u, given, cache));
                } catch (ModelException e) {
                    if (level == 1) {
                        throw e;
                    }
                    // a unit with no weights of its own (the image input, a pool with no layer given) stays a leaf
                    leaves.add(u);
                }
            }
            Map<Unit, double[]> attr = batches.isEmpty() || fresh.isEmpty() ? Map.of()
                    : attributions(fresh, batches, imageCount, progress);
            for (Map.Entry<Unit, Inputs> e : fresh.entrySet()) {
                Inputs in = e.getValue();
                double[] a = attr.get(e.getKey());
                List<Integer> order = new ArrayList<>();
                if (ranking == Ranking.ATTRIBUTION) {
                    for (int i = 0; i < in.count(); i++) {
                        order.add(i);
                    }
                    order.sort(Comparator.comparingDouble((Integer i) -> -Math.abs(a[i])).thenComparing(i -> i));
                } else {
                    order.addAll(in.byNorm());
                }
                done.put(e.getKey(), new Ranked(in, a, List.copyOf(order)));
            }
            Map<Unit, Ranked> out = new LinkedHashMap<>();
            for (Unit u : frontier) {
                if (done.containsKey(u)) {
                    out.put(u, done.get(u));
                }
            }
            return out;
        }
    }

    /**
     * The layer a unit's inputs are read from by default: its convolution's input, or, when that is a pool (as
     * between the stages of most networks), the layer the pool reads, through expanded weights (pools as average
     * pools). A unit with no convolution of its own (a residual Add) reads from the layer its block starts from
     * (the layer every path to it passes through). Null when there is no such layer.
     */
    private String defaultInputLayer(Unit u) {
        if (u instanceof Unit.Feature) {
            // a feature reads every channel of its layer: the input layer they all share
            Layer l = model.layers().get(u.layer());
            Set<String> inputs = new LinkedHashSet<>();
            for (int c = 0; c < l.channels(); c++) {
                inputs.add(String.valueOf(defaultInputLayer(Unit.channel(l.name(), c))));
            }
            if (inputs.size() != 1 || inputs.contains("null")) {
                throw new ModelException("the channels of " + l.name() + " (where " + u + " lives) read from "
                        + inputs + ": say which layer its inputs are with layers(...) (%circuit … --layers)");
            }
            return inputs.iterator().next();
        }
        return defaultInputLayer((Unit.Channel) u);
    }

    private String defaultInputLayer(Unit.Channel u) {
        ConvChannel cc;
        try {
            cc = ConvChannel.resolve(model.layers(), u);
        } catch (ModelException e) {
            // no convolution of its own (a residual sum): its inputs are read from where its block starts, through
            // the expanded weights of the block (the identity branch and the convolutions together)
            Layer merge = model.layers().get(u.layer());
            while (merge.inputs().size() == 1 && OpSet.supports(merge.op())
                    && OpSet.definition(merge.op()).channelwise()) {
                merge = model.layers().get(merge.inputs().get(0));
            }
            if (merge.inputs().size() < 2) {
                return null;
            }
            String start = model.layers().dominator(merge.name());
            return start == null || model.layers().get(start).op().equals("Input") ? null : start;
        }
        if (!skipPools) {
            return null;
        }
        String in = cc.input();
        for (int guard = 0; guard < 16; guard++) {
            Layer l = model.layers().get(in);
            if ((l.op().equals("MaxPool") || l.op().equals("AveragePool")) && l.inputs().size() == 1) {
                in = l.inputs().get(0);
            } else {
                break;
            }
        }
        return in;
    }

    private List<Tensor> loadBatches() {
        List<Tensor> out = new ArrayList<>();
        List<BufferedImage> current = new ArrayList<>();
        int n = 0;
        Iterator<Sample> it = data.iterator();
        while (n < images && it.hasNext()) {
            current.add(it.next().image());
            n++;
            if (current.size() == batchSize) {
                out.add(model.input().images(current));
                current.clear();
            }
        }
        if (!current.isEmpty()) {
            out.add(model.input().images(current));
        }
        if (out.isEmpty()) {
            throw new ModelException("the data source '" + data.name() + "' gave no images"
                    + (data.problems().isEmpty() ? "" : ": " + data.problems().get(0)));
        }
        return out;
    }

    /**
     * Per unit, the attribution of each input: mean over images of Σ a ⊙ ∂unit/∂a for an input channel, and for an
     * input feature Σ code ⊙ (decoder row · ∂unit/∂a), its code times the gradient along its direction.
     */
    private Map<Unit, double[]> attributions(Map<Unit, Inputs> inputs, List<Tensor> batches, int imageCount,
                                             Progress progress) {
        Map<Unit, SubNetwork> nets = new LinkedHashMap<>();
        Set<String> needed = new LinkedHashSet<>();
        Map<String, SubNetwork> byPair = new HashMap<>();
        for (Map.Entry<Unit, Inputs> e : inputs.entrySet()) {
            String p = e.getValue().from().layer();
            String l = model.layers().get(e.getKey().layer()).name();
            SubNetwork net = byPair.computeIfAbsent(p + "\u0000" + l, k -> SubNetwork.between(model, p, l));
            nets.put(e.getKey(), net);
            needed.add(p);
            needed.addAll(net.sideInputs());
        }
        Map<Unit, double[]> acc = new LinkedHashMap<>();
        int b = 0;
        for (Tensor batch : batches) {
            if (progress.cancelled()) {
                break;
            }
            Map<String, Tensor> acts = model.run(batch, needed.toArray(String[]::new));
            try (NDManager m = model.newManager()) {
                for (Map.Entry<Unit, SubNetwork> e : nets.entrySet()) {
                    Unit u = e.getKey();
                    SubNetwork net = e.getValue();
                    View from = inputs.get(u).from();
                    try (NDManager um = m.newSubManager()) {
                        NDArray a = array(um, acts.get(net.from().name()));
                        a.setRequiresGradient(true);
                        Map<String, NDArray> side = new HashMap<>();
                        for (String s : net.sideInputs()) {
                            side.put(s, array(um, acts.get(s)));
                        }
                        try (GradientCollector gc = DjlSetup.engine().newGradientCollector()) {
                            NDArray out = net.run(a, SubNetwork.Mode.ACTUAL, side, um);
                            long n = out.getShape().get(0);
                            NDArray unit = valueOf(u, out).reshape(n, -1).mean(new int[] {1}).sum();
                            gc.backward(unit);
                        }
                        float[] contrib;
                        if (from.basis() == null) {
                            contrib = a.mul(a.getGradient()).sum(new int[] {0, 2, 3}).toFloatArray();
                        } else {
                            // codes (N×F×H×W) times the gradient projected on each feature's direction
                            NDArray plain = array(um, acts.get(net.from().name()));
                            NDArray codes = rows(from.basis().maps(plain));
                            NDArray along = rows(a.getGradient()).matMul(directions(um, from.basis()).transpose());
                            contrib = codes.mul(along).sum(new int[] {0}).toFloatArray();
                        }
                        double[] sum = acc.computeIfAbsent(u, k -> new double[contrib.length]);
                        for (int i = 0; i < contrib.length; i++) {
                            sum[i] += contrib[i];
                        }
                    }
                }
            }
            progress.update(++b, batches.size(), "attribution on " + data.name());
        }
        for (double[] v : acc.values()) {
            for (int i = 0; i < v.length; i++) {
                v[i] /= imageCount;
            }
        }
        return acc;
    }

    /** N×C×H×W as (N·H·W)×C rows (N×C as it is). */
    private static NDArray rows(NDArray x) {
        Shape s = x.getShape();
        return s.dimension() == 4 ? x.transpose(0, 2, 3, 1).reshape(-1, s.get(1)) : x;
    }

    /** A dictionary's decoder rows (features × C) on the engine. */
    private static NDArray directions(NDManager m, Unit.FeatureBasis d) {
        int c = d.direction(0).length;
        float[] all = new float[d.size() * c];
        for (int i = 0; i < d.size(); i++) {
            System.arraycopy(d.direction(i), 0, all, i * c, c);
        }
        return m.create(all, new Shape(d.size(), c));
    }

    /** A unit's map in its layer's activations, keeping the channel axis: N×1×H×W (a feature's map is its code). */
    private static NDArray valueOf(Unit u, NDArray layer) {
        if (u instanceof Unit.Feature f) {
            return f.map(layer).expandDims(1);
        }
        return channel(layer, ((Unit.Channel) u).channel());
    }

    private static NDArray array(NDManager m, Tensor t) {
        return m.create(t.data(), new Shape(t.shape()));
    }

    /**
     * Runs the network with every edge outside the circuit zeroed, and again with every input of the unit zeroed
     * (its baseline), and compares both with the intact unit, map by map.
     */
    private PruningCheck pruningCheck(Unit root, Selection sel, List<Tensor> batches, int imageCount, int k,
                                      Progress progress) {
        progress.update(3, 5, "pruning check, top " + k);
        Map<Unit, List<CircuitEdge>> into = new LinkedHashMap<>();
        for (CircuitEdge e : sel.edges()) {
            into.computeIfAbsent(e.to(), x -> new ArrayList<>()).add(e);
        }
        Map<Unit, SubNetwork> nets = new LinkedHashMap<>();
        Set<String> needed = new LinkedHashSet<>();
        needed.add(root.layer());
        for (Unit u : sel.inputLayerOf().keySet()) {
            SubNetwork net = SubNetwork.between(model, sel.inputLayerOf().get(u).layer(), u.layer());
            nets.put(u, net);
            needed.add(net.from().name());
            needed.addAll(net.sideInputs());
            for (CircuitEdge e : into.getOrDefault(u, List.of())) {
                needed.add(e.from().layer());
            }
        }
        PruningCheck.Sums sums = new PruningCheck.Sums();
        for (Tensor batch : batches) {
            Map<String, Tensor> acts = model.run(batch, needed.toArray(String[]::new));
            try (NDManager m = model.newManager()) {
                Map<Unit, NDArray> memo = new HashMap<>();
                NDArray pruned = pruned(root, into, nets, sel.inputLayerOf(), acts, memo, m);
                NDArray baseline = fromKept(root, Map.of(), nets, sel.inputLayerOf().get(root), acts, m);
                NDArray actual = valueOf(root, array(m, acts.get(root.layer())));
                sums.add(actual.toFloatArray(), pruned.toFloatArray(), baseline.toFloatArray());
            }
        }
        return sums.check(k, sel.edges().size(), imageCount, data.name());
    }

    private NDArray pruned(Unit u, Map<Unit, List<CircuitEdge>> into, Map<Unit, SubNetwork> nets,
                           Map<Unit, View> views, Map<String, Tensor> acts, Map<Unit, NDArray> memo, NDManager m) {
        NDArray done = memo.get(u);
        if (done != null) {
            return done;
        }
        List<CircuitEdge> in = into.get(u);
        NDArray result;
        if (in == null || in.isEmpty()) {
            result = valueOf(u, array(m, acts.get(u.layer())));
        } else {
            Map<Integer, NDArray> kept = new HashMap<>();
            for (CircuitEdge e : in) {
                kept.put(indexOf(e.from()), pruned(e.from(), into, nets, views, acts, memo, m));
            }
            result = fromKept(u, kept, nets, views.get(u), acts, m);
        }
        memo.put(u, result);
        return result;
    }

    /**
     * Unit {@code u} computed from its input layer with only the {@code kept} inputs, every other one zero: kept
     * channels in their places, or, when the inputs are a dictionary's features, Σ over the kept features of
     * value × decoder row.
     */
    private NDArray fromKept(Unit u, Map<Integer, NDArray> kept, Map<Unit, SubNetwork> nets, View from,
                             Map<String, Tensor> acts, NDManager m) {
        SubNetwork net = nets.get(u);
        Tensor full = acts.get(net.from().name());
        long[] s = full.shape();
        NDArray input;
        if (from.basis() == null) {
            NDList parts = new NDList();
            long[] one = s.clone();
            one[1] = 1;
            NDArray zero = m.zeros(new Shape(one));
            for (int c = 0; c < s[1]; c++) {
                parts.add(kept.getOrDefault(c, zero));
            }
            input = NDArrays.concat(parts, 1);
        } else {
            input = m.zeros(new Shape(s));
            long[] dir = new long[s.length];
            java.util.Arrays.fill(dir, 1);
            dir[1] = s[1];
            for (Map.Entry<Integer, NDArray> e : kept.entrySet()) {
                NDArray d = m.create(from.basis().direction(e.getKey()), new Shape(dir));
                NDArray value = e.getValue().getShape().dimension() == s.length ? e.getValue()
                        : e.getValue().reshape(s[0], 1);
                input = input.add(value.mul(d));
            }
        }
        Map<String, NDArray> side = new HashMap<>();
        for (String sname : net.sideInputs()) {
            side.put(sname, array(m, acts.get(sname)));
        }
        return valueOf(u, net.run(input, SubNetwork.Mode.ACTUAL, side, m));
    }

    /** Channel {@code c} of an N×C×… array, keeping the channel axis (N×1×…). */
    private static NDArray channel(NDArray x, int c) {
        return x.get(":, " + c + ":" + (c + 1));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Circuit of %s (depth %d, top %d by %s)", target, depth, top,
                ranking.name().toLowerCase(Locale.ROOT));
    }
}
