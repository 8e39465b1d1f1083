package org.circuitscope.census;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.circuitscope.activations.Html;
import org.circuitscope.data.ImageSource;
import org.circuitscope.display.Captions;
import org.circuitscope.display.Displayable;
import org.circuitscope.display.Figure;
import org.circuitscope.display.TableHtml;
import org.circuitscope.examples.ReceptiveField;
import org.circuitscope.model.Layer;
import org.circuitscope.model.Model;
import org.circuitscope.model.Unit;
import org.circuitscope.progress.Progress;
import org.circuitscope.weights.Thumbnails;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A periodic table of visual features: rows the {@link Family families}, columns models, each cell how many units
 * of that family the model has at a comparable depth and its best member (by score), drawn as its best stimulus or
 * its feature visualisation. {@code PeriodicTable.of(List.of(squeezenet, mobilenet), data)} picks each model's
 * layer with {@link #comparableLayer}; {@link #layers} overrides it.
 *
 * <p>"Comparable depth" is by receptive field: the layer (an activation or a concatenation, where units are read
 * after their nonlinearity) whose theoretical field is the nearest (in ratio) to {@link #DEPTH} of the input's
 * side. Networks that see 128 or 227 pixels and stride differently are then compared where their units see the same
 * share of the image, as InceptionV1's early-vision families are catalogued by layer (mixed3b's field is about a
 * third of its 224-pixel input by the effective field).
 */
public final class PeriodicTable implements Displayable {
    /** The share of the input's side a comparable layer's receptive field covers by default. */
    public static final double DEPTH = 0.3;

    private final List<Census> censuses;
    private final Map<String, Map<Family, BufferedImage>> featureVis;

    private PeriodicTable(List<Census> censuses, Map<String, Map<Family, BufferedImage>> featureVis) {
        this.censuses = List.copyOf(censuses);
        this.featureVis = featureVis;
    }

    /** Builds a table; configure, then {@link #run}. */
    public static Builder of(List<Model> models, ImageSource data) {
        return new Builder(models, data);
    }

    /** The builder of a periodic table. */
    public static final class Builder {
        private final List<Model> models;
        private final ImageSource data;
        private final Map<String, String> layers = new LinkedHashMap<>();
        private final Map<String, Census> given = new LinkedHashMap<>();
        private double depth = DEPTH;
        private int featureVisSteps;

        private Builder(List<Model> models, ImageSource data) {
            if (models.isEmpty()) {
                throw new IllegalArgumentException("a periodic table needs at least one model");
            }
            this.models = List.copyOf(models);
            this.data = data;
        }

        /** The layer to census for a model, by the model's name (the others use {@link #comparableLayer}). */
        public Builder layer(String model, String layer) {
            layers.put(model, layer);
            return this;
        }

        public Builder layers(Map<String, String> byModel) {
            layers.putAll(byModel);
            return this;
        }

        /** The receptive field, as a share of the input's side, of the layers chosen (default {@link #DEPTH}). */
        public Builder depth(double share) {
            if (!(share > 0 && share <= 1)) {
                throw new IllegalArgumentException("depth is a share of the input (0 to 1], not " + share);
            }
            this.depth = share;
            return this;
        }

        /**
         * Use this census for the model it was taken of (by name) instead of running one: a census kept from
         * before ({@link Census#of(Probe)} on a {@link Probe#load loaded} probe), e.g. to draw feature
         * visualisations for a table already measured.
         */
        public Builder census(Census c) {
            given.put(c.model(), c);
            return this;
        }

        /** Draw each cell's best member as its feature visualisation ({@code steps} steps), not its stimulus. */
        public Builder featureVis(int steps) {
            this.featureVisSteps = steps;
            return this;
        }

        public PeriodicTable run(Progress progress) {
            List<Census> out = new ArrayList<>();
            Map<String, Map<Family, BufferedImage>> vis = new LinkedHashMap<>();
            for (Model m : models) {
                if (progress.cancelled()) {
                    break;
                }
                Census c = given.get(m.name());
                if (c == null) {
                    String layer = layers.containsKey(m.name()) ? layers.get(m.name()) : comparableLayer(m, depth);
                    progress.update(out.size(), models.size(), "census of " + m.name() + " " + layer);
                    c = Census.of(m, layer, data, Progress.NONE);
                }
                out.add(c);
                if (featureVisSteps > 0) {
                    Map<Family, Unit> best = new LinkedHashMap<>();
                    for (Family f : Family.values()) {
                        List<Rules.Verdict> mem = c.members(f);
                        if (!mem.isEmpty()) {
                            best.put(f, Unit.parse(c.layer() + ":" + mem.get(0).unit()));
                        }
                    }
                    progress.update(out.size() - 1, models.size(), "feature visualisations of " + m.name());
                    Map<Unit, BufferedImage> imgs = Thumbnails.featureVis(m, featureVisSteps, 96)
                            .all(best.values(), Progress.NONE);
                    Map<Family, BufferedImage> byFamily = new LinkedHashMap<>();
                    best.forEach((f, u) -> byFamily.put(f, imgs.get(u)));
                    vis.put(m.name(), byFamily);
                }
            }
            progress.finish(out.size() + " models");
            return new PeriodicTable(out, vis);
        }
    }

    /**
     * The layer of {@code model} at comparable depth: among the layers with positions whose op is an activation
     * (Relu, Clip, LeakyRelu, Sigmoid…) or a Concat, the one whose receptive field is nearest in ratio to
     * {@code share} of the input's shorter side; ties go to the layer with more channels, then the later one.
     */
    public static String comparableLayer(Model model, double share) {
        double target = share * Math.min(model.input().height(), model.input().width());
        String best = null;
        double bestD = Double.POSITIVE_INFINITY;
        long bestC = -1;
        for (Layer l : model.layers().all()) {
            if (!l.spatial() || !unitOp(l.op())) {
                continue;
            }
            ReceptiveField rf = ReceptiveField.of(model, l.name());
            if (rf.whole()) {
                continue;
            }
            double d = Math.abs(Math.log(Math.max(rf.sizeX(), rf.sizeY()) / target));
            if (d < bestD - 1e-9 || Math.abs(d - bestD) <= 1e-9 && l.channels() >= bestC) {
                best = l.name();
                bestD = d;
                bestC = l.channels();
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("model '" + model.name() + "' has no layer with positions after a "
                    + "nonlinearity; name the layer to census");
        }
        return best;
    }

    private static boolean unitOp(String op) {
        return switch (op) {
            case "Relu", "Clip", "LeakyRelu", "Sigmoid", "Tanh", "Elu", "Selu", "HardSigmoid", "HardSwish", "Concat",
                    "PRelu", "Gelu" -> true;
            default -> false;
        };
    }

    public List<Census> censuses() {
        return censuses;
    }

    /** The census of a model by name. */
    public Census census(String model) {
        return censuses.stream().filter(c -> c.model().equals(model)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no model '" + model + "' in this table; it has " + censuses.stream()
                        .map(Census::model).toList()));
    }

    /** How many units of family {@code f} the model has at its layer. */
    public int count(String model, Family f) {
        return census(model).counts().get(f);
    }

    /** Rows families (and the layer and unit count on top), columns models; each cell "count (best unit, z)". */
    public Table table() {
        StringColumn fam = StringColumn.create("family");
        fam.append("layer");
        fam.append("units");
        for (Family f : Family.values()) {
            fam.append(f.label());
        }
        fam.append("none");
        Table t = Table.create("periodic table of visual features", fam);
        for (Census c : censuses) {
            StringColumn col = StringColumn.create(c.model());
            col.append(c.layer());
            col.append(String.valueOf(c.probe().channels()));
            for (Family f : Family.values()) {
                List<Rules.Verdict> m = c.members(f);
                col.append(m.isEmpty() ? "0" : String.format(Locale.ROOT, "%d (%d, z %.0f)", m.size(), m.get(0)
                        .unit(), m.get(0).score()));
            }
            col.append(String.valueOf(c.verdicts().stream().filter(v -> v.family() == null).count()));
            t.addColumns(col);
        }
        return t;
    }

    /** The counts alone: rows families, one integer column per model. */
    public Table counts() {
        StringColumn fam = StringColumn.create("family");
        for (Family f : Family.values()) {
            fam.append(f.label());
        }
        Table t = Table.create("units per family", fam);
        for (Census c : censuses) {
            IntColumn col = IntColumn.create(c.model());
            for (Family f : Family.values()) {
                col.append(c.counts().get(f));
            }
            t.addColumns(col);
        }
        return t;
    }

    /** Rows families, columns models, each cell the count over the best member's picture. */
    public Figure figure() {
        int cell = 72;
        int colW = cell + 60;
        int label = 150;
        int top = 84;
        int rowH = cell + 22;
        Family[] fams = Family.values();
        // wide enough for the title however few columns (bold 13-point sans: under 8 pixels a character)
        int width = Math.max(label + censuses.size() * colW + 10, 16 + 8 * title().length());
        int height = top + fams.length * rowH + 10;
        Map<String, Map<Family, BufferedImage>> pictures = new LinkedHashMap<>();
        for (Census c : censuses) {
            Map<Family, BufferedImage> byFamily = new LinkedHashMap<>();
            for (Family f : fams) {
                List<Rules.Verdict> m = c.members(f);
                BufferedImage vis = featureVis.getOrDefault(c.model(), Map.of()).get(f);
                byFamily.put(f, vis != null ? vis : m.isEmpty() ? null : c.bestStimulus(m.get(0)));
            }
            pictures.put(c.model(), byFamily);
        }
        String desc = "periodic table of visual features: " + censuses.size() + " models × " + fams.length
                + " families; " + (featureVis.isEmpty() ? "best members' best stimuli" : "best members' feature "
                + "visualisations");
        return Figure.of(desc, width, height, g -> paint(g, pictures, cell, colW, label, top, rowH));
    }

    private void paint(Graphics2D g, Map<String, Map<Family, BufferedImage>> pictures, int cell, int colW, int label,
                       int top, int rowH) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(title(), 8, 16);
        int x = label;
        int fit = colW - 8; // each column's heading stays inside its own column
        for (Census c : censuses) {
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
            int y = 34;
            for (String line : Captions.lines(c.model(), g.getFontMetrics(), fit, 2)) {
                g.drawString(line, x, y);
                y += 13;
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            g.drawString(Captions.lines(c.layer(), g.getFontMetrics(), fit, 1).get(0), x, 62);
            g.drawString(c.probe().channels() + " units", x, 75);
            x += colW;
        }
        int y = top;
        for (Family f : Family.values()) {
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
            g.drawString(f.label(), 8, y + cell / 2);
            x = label;
            for (Census c : censuses) {
                List<Rules.Verdict> m = c.members(f);
                BufferedImage img = pictures.get(c.model()).get(f);
                if (img != null) {
                    g.drawImage(img, x, y, cell, cell, null);
                    g.setColor(Color.GRAY);
                    g.drawRect(x, y, cell, cell);
                } else {
                    g.setColor(new Color(240, 240, 240));
                    g.fillRect(x, y, cell, cell);
                }
                g.setColor(m.isEmpty() ? Color.GRAY : Color.BLACK);
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
                g.drawString(String.valueOf(m.size()), x + cell + 6, y + 18);
                if (!m.isEmpty()) {
                    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
                    g.drawString("#" + m.get(0).unit(), x + cell + 6, y + 32);
                }
                x += colW;
            }
            y += rowH;
        }
    }

    private String title() {
        return "periodic table of visual features: units per family at comparable depth, and the best member's "
                + (featureVis.isEmpty() ? "best stimulus" : "feature visualisation");
    }


    @Override
    public Map<String, Object> representations() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("text/plain", toString() + "\n" + TableHtml.plain(table()));
        StringBuilder sb = new StringBuilder("<div class=\"circuitscope-periodic\"><p>").append(Html.escape(
                toString())).append("</p><img src=\"").append(figure().pngDataUri()).append("\"/>");
        Html.table(sb, table(), 20);
        sb.append("</div>");
        r.put("text/html", sb.toString());
        return r;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("periodic table of visual features over ").append(censuses.size())
                .append(" models:");
        for (Census c : censuses) {
            long found = c.verdicts().stream().filter(v -> v.family() != null).count();
            sb.append(String.format(Locale.ROOT, " %s %s (%d of %d units in a family);", c.model(), c.layer(), found,
                    c.probe().channels()));
        }
        return sb.substring(0, sb.length() - 1);
    }
}
