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
    private final Unit.Channel target;
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

    private Circuit(Model model, Unit.Channel target) {
        this.model = model;
        this.target = target;
    }

    public static Circuit of(Model model, Unit.Channel unit) {
        return new Circuit(model, unit);
    }

    public static Circuit of(Model model, String unit) {
        Unit u = Unit.parse(unit);
        if (!(u instanceof Unit.Channel c)) {
            throw new ModelException("a circuit is built around a channel: give layer:channel, not " + unit);
        }
        return new Circuit(model, c);
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

    /** The upstream layer of each level, top down (level 1 first); levels without one use the conv's input. */
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
        Unit.Channel root = Unit.channel(targetLayer.name(), target.channel());
        if (target.channel() >= targetLayer.channels()) {
            throw new ModelException("layer '" + targetLayer.name() + "' has " + targetLayer.channels()
                    + " channels (0.." + (targetLayer.channels() - 1) + "); there is no channel " + target.channel());
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
        List<String> rows = sel.nodes.keySet().stream().map(Unit.Channel::layer).distinct()
                .sorted(Comparator.comparingInt((String l) -> order.indexOf(l)).reversed()).toList();
        return new CircuitResult(model.name(), root, depth, k, ranking, List.copyOf(sel.nodes.values()),
                List.copyOf(sel.edges), images, thumbs.description(), pruning, explain, List.copyOf(growth),
                data == null ? null : data.name(), rows);
    }

    /** The units and edges of the circuit that keeps {@code k} inputs per unit, and where each unit's inputs are. */
    private record Selection(Map<Unit.Channel, CircuitNode> nodes, List<CircuitEdge> edges,
                             Map<Unit.Channel, String> inputLayerOf, int widest) {
    }

    private Selection select(Unit.Channel root, int k, RankedInputs ranked, Progress progress) {
        Map<Unit.Channel, CircuitNode> nodes = new LinkedHashMap<>();
        Map<Unit.Channel, String> inputLayerOf = new LinkedHashMap<>();
        List<CircuitEdge> edges = new ArrayList<>();
        int widest = 0;
        nodes.put(root, new CircuitNode(root, 0));
        List<Unit.Channel> frontier = List.of(root);
        for (int level = 1; level <= depth && !frontier.isEmpty() && !progress.cancelled(); level++) {
            progress.update(Math.min(level, 3), 5, "level " + level + ": inputs of " + frontier.size() + " units");
            List<Unit.Channel> next = new ArrayList<>();
            for (Map.Entry<Unit.Channel, Ranked> e : ranked.of(frontier, level).entrySet()) {
                Unit.Channel u = e.getKey();
                Ranked r = e.getValue();
                inputLayerOf.put(u, r.inputs().from());
                widest = Math.max(widest, r.order().size());
                for (int i : r.order().subList(0, Math.min(k, r.order().size()))) {
                    UnitInputs.InputWeight w = r.inputs().input(i);
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
    private record Ranked(UnitInputs inputs, double[] attribution, List<Integer> order) {
    }

    /**
     * Every unit's inputs, read and ranked once however often the circuit is rebuilt while it grows; attributions are
     * computed for all the new units of a level together (one pass over the data).
     */
    private final class RankedInputs {
        private final Map<Unit.Channel, Ranked> done = new HashMap<>();
        private final Set<Unit.Channel> leaves = new HashSet<>();
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
        Map<Unit.Channel, Ranked> of(List<Unit.Channel> frontier, int level) {
            String given = layers.size() >= level ? layers.get(level - 1) : null;
            Map<Unit.Channel, UnitInputs> fresh = new LinkedHashMap<>();
            for (Unit.Channel u : frontier) {
                if (done.containsKey(u) || leaves.contains(u)) {
                    continue;
                }
                try {
                    String from = given != null ? given : defaultInputLayer(u);
                    fresh.put(u, Weights.into(model, u, from, cache));
                } catch (ModelException e) {
                    if (level == 1) {
                        throw e;
                    }
                    // a unit with no weights of its own (the image input, a pool with no layer given) stays a leaf
                    leaves.add(u);
                }
            }
            Map<Unit.Channel, double[]> attr = batches.isEmpty() || fresh.isEmpty() ? Map.of()
                    : attributions(fresh, batches, imageCount, progress);
            for (Map.Entry<Unit.Channel, UnitInputs> e : fresh.entrySet()) {
                UnitInputs in = e.getValue();
                double[] a = attr.get(e.getKey());
                List<Integer> order = new ArrayList<>();
                if (ranking == Ranking.ATTRIBUTION) {
                    for (int i = 0; i < in.inputChannels(); i++) {
                        order.add(i);
                    }
                    order.sort(Comparator.comparingDouble((Integer i) -> -Math.abs(a[i])).thenComparing(i -> i));
                } else {
                    in.ranked().forEach(w -> order.add(w.input().channel()));
                }
                done.put(e.getKey(), new Ranked(in, a, List.copyOf(order)));
            }
            Map<Unit.Channel, Ranked> out = new LinkedHashMap<>();
            for (Unit.Channel u : frontier) {
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

    /** Per unit, the attribution of each input channel: mean over images of Σ a ⊙ ∂unit/∂a. */
    private Map<Unit.Channel, double[]> attributions(Map<Unit.Channel, UnitInputs> inputs, List<Tensor> batches,
                                                     int imageCount, Progress progress) {
        Map<Unit.Channel, SubNetwork> nets = new LinkedHashMap<>();
        Set<String> needed = new LinkedHashSet<>();
        Map<String, SubNetwork> byPair = new HashMap<>();
        for (Map.Entry<Unit.Channel, UnitInputs> e : inputs.entrySet()) {
            String p = e.getValue().from();
            String l = e.getKey().layer();
            SubNetwork net = byPair.computeIfAbsent(p + "\u0000" + l, k -> SubNetwork.between(model, p, l));
            nets.put(e.getKey(), net);
            needed.add(p);
            needed.addAll(net.sideInputs());
        }
        Map<Unit.Channel, double[]> acc = new LinkedHashMap<>();
        int b = 0;
        for (Tensor batch : batches) {
            if (progress.cancelled()) {
                break;
            }
            Map<String, Tensor> acts = model.run(batch, needed.toArray(String[]::new));
            try (NDManager m = model.newManager()) {
                for (Map.Entry<Unit.Channel, SubNetwork> e : nets.entrySet()) {
                    Unit.Channel u = e.getKey();
                    SubNetwork net = e.getValue();
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
                            NDArray unit = out.get(":, " + u.channel()).reshape(n, -1).mean(new int[] {1}).sum();
                            gc.backward(unit);
                        }
                        float[] contrib = a.mul(a.getGradient()).sum(new int[] {0, 2, 3}).toFloatArray();
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

    private static NDArray array(NDManager m, Tensor t) {
        return m.create(t.data(), new Shape(t.shape()));
    }

    /**
     * Runs the network with every edge outside the circuit zeroed, and again with every input of the unit zeroed
     * (its baseline), and compares both with the intact unit, map by map.
     */
    private PruningCheck pruningCheck(Unit.Channel root, Selection sel, List<Tensor> batches, int imageCount, int k,
                                      Progress progress) {
        progress.update(3, 5, "pruning check, top " + k);
        Map<Unit.Channel, List<CircuitEdge>> into = new LinkedHashMap<>();
        for (CircuitEdge e : sel.edges()) {
            into.computeIfAbsent(e.to(), x -> new ArrayList<>()).add(e);
        }
        Map<Unit.Channel, SubNetwork> nets = new LinkedHashMap<>();
        Set<String> needed = new LinkedHashSet<>();
        needed.add(root.layer());
        for (Unit.Channel u : sel.inputLayerOf().keySet()) {
            SubNetwork net = SubNetwork.between(model, sel.inputLayerOf().get(u), u.layer());
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
                Map<Unit.Channel, NDArray> memo = new HashMap<>();
                NDArray pruned = pruned(root, into, nets, acts, memo, m);
                NDArray baseline = fromKept(root, Map.of(), nets, acts, m);
                NDArray actual = channel(array(m, acts.get(root.layer())), root.channel());
                sums.add(actual.toFloatArray(), pruned.toFloatArray(), baseline.toFloatArray());
            }
        }
        return sums.check(k, sel.edges().size(), imageCount, data.name());
    }

    private NDArray pruned(Unit.Channel u, Map<Unit.Channel, List<CircuitEdge>> into,
                           Map<Unit.Channel, SubNetwork> nets, Map<String, Tensor> acts,
                           Map<Unit.Channel, NDArray> memo, NDManager m) {
        NDArray done = memo.get(u);
        if (done != null) {
            return done;
        }
        List<CircuitEdge> in = into.get(u);
        NDArray result;
        if (in == null || in.isEmpty()) {
            result = channel(array(m, acts.get(u.layer())), u.channel());
        } else {
            Map<Integer, NDArray> kept = new HashMap<>();
            for (CircuitEdge e : in) {
                kept.put(e.from().channel(), pruned(e.from(), into, nets, acts, memo, m));
            }
            result = fromKept(u, kept, nets, acts, m);
        }
        memo.put(u, result);
        return result;
    }

    /** Unit {@code u} computed from its input layer with only the {@code kept} channels, every other one zero. */
    private NDArray fromKept(Unit.Channel u, Map<Integer, NDArray> kept, Map<Unit.Channel, SubNetwork> nets,
                             Map<String, Tensor> acts, NDManager m) {
        SubNetwork net = nets.get(u);
        Tensor full = acts.get(net.from().name());
        long[] s = full.shape();
        NDList parts = new NDList();
        long[] one = s.clone();
        one[1] = 1;
        NDArray zero = m.zeros(new Shape(one));
        for (int c = 0; c < s[1]; c++) {
            parts.add(kept.getOrDefault(c, zero));
        }
        NDArray input = NDArrays.concat(parts, 1);
        Map<String, NDArray> side = new HashMap<>();
        for (String sname : net.sideInputs()) {
            side.put(sname, array(m, acts.get(sname)));
        }
        return channel(net.run(input, SubNetwork.Mode.ACTUAL, side, m), u.channel());
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
