package org.circuitscope.atlas;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.circuitscope.display.Figure;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Unit;
import org.circuitscope.weights.ExpandedWeights;
import org.circuitscope.weights.Heatmaps;
import org.circuitscope.weights.Thumbnails;
import org.circuitscope.weights.UnitInputs;
import org.circuitscope.weights.UnitWeights;
import org.circuitscope.weights.Weights;

/**
 * The weights that link the atlas's units: each unit's strongest inputs from the layer drawn before it, and its
 * strongest outputs into the layer drawn after it (expanded weights through what lies between, such as pooling).
 * A unit whose layer cannot be traced to the neighbouring atlas layer falls back to its convolution's own input
 * (no links then).
 */
final class AtlasWeights {
    static final int SHOWN = 8;

    private final Model model;
    private final List<String> layers;
    private final AtlasFiles files;
    private final Map<String, ExpandedWeights> cache;
    /** Per layer pair "from\0to": the inputs of every unit of "to" from "from". */
    private final Map<String, List<UnitInputs>> into = new HashMap<>();

    AtlasWeights(Model model, List<String> layers, AtlasFiles files, Map<String, ExpandedWeights> cache) {
        this.model = model;
        this.layers = layers;
        this.files = files;
        this.cache = cache;
    }

    /** The input figure and the inputs it shows; null when the unit has no readable weights. */
    Inputs inputs(Unit.Channel unit) {
        int i = layers.indexOf(unit.layer());
        String prev = i > 0 ? layers.get(i - 1) : null;
        // the earlier layer's feature visualisations (already on disk) label the input heatmaps
        Thumbnails thumbs = Thumbnails.of("feature visualisations of the atlas", files::featureVis);
        UnitWeights w = null;
        if (prev != null) {
            try {
                w = Weights.of(model, unit).from(prev).top(SHOWN).thumbnails(thumbs).cache(cache).render();
            } catch (ModelException e) {
                w = null;
            }
        }
        if (w == null) {
            try {
                w = Weights.of(model, unit).top(SHOWN).cache(cache).render();
            } catch (ModelException e) {
                return null;
            }
        }
        return new Inputs(w.figure(), w.shown());
    }

    /** The units of the next atlas layer this unit feeds most strongly, and their heatmaps; null when none. */
    Outputs outputs(Unit.Channel unit) {
        int i = layers.indexOf(unit.layer());
        if (i < 0 || i + 1 >= layers.size()) {
            return null;
        }
        String next = layers.get(i + 1);
        List<UnitInputs> all = into.computeIfAbsent(unit.layer() + "\u0000" + next, k -> read(unit.layer(), next));
        if (all == null) {
            return null;
        }
        List<Link> links = new ArrayList<>();
        for (UnitInputs in : all) {
            UnitInputs.InputWeight w = in.input(unit.channel());
            if (w.norm() > 0) {
                links.add(new Link(in.unit(), w));
            }
        }
        links.sort(Comparator.comparingDouble((Link l) -> l.weight().norm()).reversed()
                .thenComparing(l -> l.target().channel()));
        List<Link> shown = links.subList(0, Math.min(SHOWN, links.size()));
        if (shown.isEmpty()) {
            return null;
        }
        List<Heatmaps.Panel> panels = new ArrayList<>();
        List<float[]> kernels = new ArrayList<>();
        for (Link l : shown) {
            UnitInputs.InputWeight w = l.weight();
            kernels.add(w.kernel());
            panels.add(new Heatmaps.Panel(w.sign().symbol() + " → " + l.target(), String.format(Locale.ROOT,
                    "‖w‖=%s Σ=%s", Heatmaps.format(w.norm()), Heatmaps.format(w.sum())), w.kernel(), w.kh(), w.kw(),
                    null, w.sign().color()));
        }
        String title = "Strongest outputs of " + unit + " into " + next + " (" + all.get(0).source() + ")";
        Figure f = Heatmaps.smallMultiples(title, title, panels, Heatmaps.range(kernels.toArray(float[][]::new)), 6,
                0);
        return new Outputs(f, shown);
    }

    private List<UnitInputs> read(String from, String to) {
        List<UnitInputs> out = new ArrayList<>();
        int channels = (int) model.layers().get(to).channels();
        try {
            for (int c = 0; c < channels; c++) {
                out.add(Weights.into(model, Unit.channel(to, c), from, cache));
            }
        } catch (ModelException e) {
            return null;
        }
        return out;
    }

    record Inputs(Figure figure, List<UnitInputs.InputWeight> shown) {
    }

    record Link(Unit.Channel target, UnitInputs.InputWeight weight) {
    }

    record Outputs(Figure figure, List<Link> shown) {
    }
}
