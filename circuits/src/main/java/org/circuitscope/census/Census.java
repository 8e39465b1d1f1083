package org.circuitscope.census;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.circuitscope.activations.Html;
import org.circuitscope.data.ImageSource;
import org.circuitscope.display.Displayable;
import org.circuitscope.display.Figure;
import org.circuitscope.model.Model;
import org.circuitscope.model.Unit;
import org.circuitscope.progress.Progress;
import org.circuitscope.stimuli.Stimuli;
import org.circuitscope.stimuli.StimulusSet;
import org.circuitscope.weights.Thumbnails;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A census of a layer: every unit shown the {@link Battery} and classified into a {@link Family} by the
 * {@link Rules} (or none), with its preferred orientation, size and colour and a score (the z of its best stimulus
 * of that family over the data set). {@code Census.of(model, "conv2")} uses {@link Stimuli#textures} as the data
 * set; give real images ({@link #of(Model, String, ImageSource, Progress)}) for statistics that mean "natural".
 */
public final class Census implements Displayable {
    /** The default data set when none is given: 64 multi-scale texture images. */
    public static final int DEFAULT_TEXTURES = 64;

    private final Probe probe;
    private final List<Rules.Verdict> verdicts;

    private Census(Probe probe, List<Rules.Verdict> verdicts) {
        this.probe = probe;
        this.verdicts = List.copyOf(verdicts);
    }

    public static Census of(Model model, String layer) {
        return of(model, layer, Stimuli.textures(DEFAULT_TEXTURES, Math.max(model.input().height(),
                model.input().width()), 1), Progress.NONE);
    }

    public static Census of(Model model, String layer, ImageSource data) {
        return of(model, layer, data, Progress.NONE);
    }

    public static Census of(Model model, String layer, ImageSource data, Progress progress) {
        return of(Probe.run(model, layer, data, progress));
    }

    /** The census of a probe already run (or {@link Probe#load loaded}): the rules applied to its responses. */
    public static Census of(Probe p) {
        return new Census(p, Rules.classify(p));
    }

    public String model() {
        return probe.model();
    }

    public String layer() {
        return probe.layer();
    }

    public Probe probe() {
        return probe;
    }

    public List<Rules.Verdict> verdicts() {
        return verdicts;
    }

    public Rules.Verdict verdict(int unit) {
        return verdicts.get(unit);
    }

    /** The units of a family, best score first. */
    public List<Rules.Verdict> members(Family f) {
        return verdicts.stream().filter(v -> v.family() == f)
                .sorted(Comparator.comparingDouble(Rules.Verdict::score).reversed()).toList();
    }

    /** How many units each family has (every family listed, zero included). */
    public Map<Family, Integer> counts() {
        Map<Family, Integer> m = new EnumMap<>(Family.class);
        for (Family f : Family.values()) {
            m.put(f, 0);
        }
        verdicts.stream().filter(v -> v.family() != null).forEach(v -> m.merge(v.family(), 1, Integer::sum));
        return m;
    }

    /** The preferred orientations of a family's members, ascending. */
    public double[] orientations(Family f) {
        return members(f).stream().mapToDouble(Rules.Verdict::orientation).filter(d -> !Double.isNaN(d)).sorted()
                .toArray();
    }

    /**
     * The widest gap, in degrees, between neighbouring preferred orientations of a family around the circle (360
     * for none or one member): curve detectors that tile 360° leave no gap much wider than 360 / their number.
     */
    public double largestGap(Family f) {
        double[] o = orientations(f);
        if (o.length < 2) {
            return 360;
        }
        double gap = 360 - (o[o.length - 1] - o[0]);
        for (int i = 1; i < o.length; i++) {
            gap = Math.max(gap, o[i] - o[i - 1]);
        }
        return gap;
    }

    /** One row per unit: family, score, orientation, size, colour, best stimulus and the reason. */
    public Table table() {
        IntColumn unit = IntColumn.create("unit");
        StringColumn fam = StringColumn.create("family");
        DoubleColumn score = DoubleColumn.create("score");
        DoubleColumn orient = DoubleColumn.create("orientation");
        DoubleColumn size = DoubleColumn.create("size");
        StringColumn color = StringColumn.create("color");
        StringColumn stim = StringColumn.create("best stimulus");
        StringColumn why = StringColumn.create("reason");
        for (Rules.Verdict v : verdicts) {
            unit.append(v.unit());
            fam.append(v.familyLabel());
            score.append(v.score());
            if (Double.isNaN(v.orientation())) {
                orient.appendMissing();
            } else {
                orient.append(v.orientation());
            }
            if (Double.isNaN(v.size())) {
                size.appendMissing();
            } else {
                size.append(v.size());
            }
            color.append(v.color());
            stim.append(v.set() + "#" + v.stimulus());
            why.append(v.reason());
        }
        return Table.create("census of " + probe.model() + " " + probe.layer(), unit, fam, score, orient, size,
                color, stim, why);
    }

    /** Rows families, one count each (and none). */
    public Table summary() {
        StringColumn fam = StringColumn.create("family");
        IntColumn n = IntColumn.create("units");
        StringColumn best = StringColumn.create("best");
        StringColumn orient = StringColumn.create("orientations");
        for (Family f : Family.values()) {
            List<Rules.Verdict> m = members(f);
            fam.append(f.label());
            n.append(m.size());
            best.append(m.isEmpty() ? "" : String.format(Locale.ROOT, "%s:%d (z %.1f)", probe.layer(),
                    m.get(0).unit(), m.get(0).score()));
            double[] o = orientations(f);
            StringBuilder sb = new StringBuilder();
            for (double d : o) {
                sb.append(sb.length() == 0 ? "" : " ").append((long) d);
            }
            orient.append(sb.toString());
        }
        fam.append("none");
        n.append((int) verdicts.stream().filter(v -> v.family() == null).count());
        best.append("");
        orient.append("");
        return Table.create("families of " + probe.model() + " " + probe.layer(), fam, n, best, orient);
    }

    /** The receptive-field crop of a verdict's best stimulus. */
    public BufferedImage bestStimulus(Rules.Verdict v) {
        String set = v.set().equals("boundaries") ? "boundaries1" : v.set();
        StimulusSet s = probe.battery().sets().get(set);
        BufferedImage full = s.render(v.stimulus());
        double[] c = s.centre();
        int f = (int) Math.ceil(Math.min(Math.min(s.width(), s.height()), probe.battery().field()));
        int x0 = (int) Math.max(0, Math.min(s.width() - f, Math.round(c[0] - f / 2.0)));
        int y0 = (int) Math.max(0, Math.min(s.height() - f, Math.round(c[1] - f / 2.0)));
        return full.getSubimage(x0, y0, Math.max(1, f), Math.max(1, f));
    }

    /** Families × units, each member drawn as its best stimulus (up to {@code perRow} per family). */
    public Figure figure(int perRow) {
        return figure(perRow, Thumbnails.of("best stimulus", u -> bestStimulus(verdicts.get(((Unit.Channel) u)
                .channel()))));
    }

    /** Families × units with the given thumbnails (e.g. {@link Thumbnails#featureVis}). */
    public Figure figure(int perRow, Thumbnails thumbnails) {
        int cell = 56;
        int label = 170;
        Family[] fams = Family.values();
        int width = label + perRow * (cell + 6) + 10;
        int height = 30 + fams.length * (cell + 22);
        Map<Family, List<Rules.Verdict>> shown = new LinkedHashMap<>();
        List<Unit> units = new ArrayList<>();
        for (Family f : fams) {
            List<Rules.Verdict> m = members(f);
            shown.put(f, m.subList(0, Math.min(perRow, m.size())));
            shown.get(f).forEach(v -> units.add(Unit.parse(probe.layer() + ":" + v.unit())));
        }
        Map<Unit, BufferedImage> thumbs = thumbnails.all(units, Progress.NONE);
        String desc = "census of " + probe.model() + " " + probe.layer() + ": " + summaryLine();
        return Figure.of(desc, width, height, g -> paint(g, shown, thumbs, cell, label));
    }

    private void paint(Graphics2D g, Map<Family, List<Rules.Verdict>> shown, Map<Unit, BufferedImage> thumbs,
                       int cell, int label) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString("census of " + probe.model() + " " + probe.layer() + " (" + probe.channels() + " units)", 8, 18);
        int y = 30;
        Map<Family, Integer> counts = counts();
        for (Map.Entry<Family, List<Rules.Verdict>> e : shown.entrySet()) {
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
            g.drawString(e.getKey().label(), 8, y + cell / 2);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.drawString(counts.get(e.getKey()) + " units", 8, y + cell / 2 + 15);
            int x = label;
            for (Rules.Verdict v : e.getValue()) {
                BufferedImage img = thumbs.get(Unit.parse(probe.layer() + ":" + v.unit()));
                if (img != null) {
                    g.drawImage(img, x, y, cell, cell, null);
                }
                g.setColor(Color.GRAY);
                g.drawRect(x, y, cell, cell);
                g.setColor(Color.BLACK);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
                String o = Double.isNaN(v.orientation()) ? "" : " " + (long) v.orientation() + "°";
                g.drawString(v.unit() + o, x + 1, y + cell + 11);
                x += cell + 6;
            }
            y += cell + 22;
        }
    }

    private String summaryLine() {
        StringBuilder sb = new StringBuilder();
        counts().forEach((f, n) -> {
            if (n > 0) {
                sb.append(sb.length() == 0 ? "" : ", ").append(n).append(" ").append(f.label());
            }
        });
        long none = verdicts.stream().filter(v -> v.family() == null).count();
        return (sb.length() == 0 ? "no family" : sb) + "; " + none + " of " + verdicts.size() + " none";
    }

    @Override
    public Map<String, Object> representations() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("text/plain", toString());
        StringBuilder sb = new StringBuilder("<div class=\"circuitscope-census\"><p>").append(Html.escape(toString()))
                .append("</p><img src=\"").append(figure(10).pngDataUri()).append("\"/>");
        Html.table(sb, summary(), 20);
        sb.append("<details><summary>every unit</summary>");
        Html.table(sb, table(), 400);
        sb.append("</details></div>");
        r.put("text/html", sb.toString());
        return r;
    }

    @Override
    public String toString() {
        String s = "census of " + probe.model() + " " + probe.layer() + " (" + probe.channels() + " units, "
                + probe.battery().count() + " stimuli scaled to a " + Math.round(probe.battery().field())
                + "-pixel field, statistics on " + probe.images() + " images of " + probe.data() + "): "
                + summaryLine();
        if (counts().get(Family.CURVE) > 1) {
            s += String.format(Locale.ROOT, "; curve orientations leave a largest gap of %.0f°",
                    largestGap(Family.CURVE));
        }
        return s;
    }
}
