package org.circuitscope.census;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * The family rules: one documented test per {@link Family} on a unit's responses to the {@link Battery} (both
 * polarities where polarity is a real choice) and on its data-set statistics. Every comparison is made relative to
 * the unit's mean on the data set, μ, so that a unit's resting level (large for a unit without a ReLU) does not
 * count as a response: "A beats B by k" means (A − μ) ≥ k (B − μ), and a response's "relative level" against a
 * peak P is (r − μ) / (P − μ).
 *
 * <p>Thresholds, and why:
 * <ul>
 * <li>{@link #Z_MIN} = 3: the family's best stimulus must drive the unit at least 3 data-set standard deviations
 * above its data-set mean (z ≥ 3). Idealised stimuli of the right kind exceed what the typical image gives at one
 * position by far; a unit whose best synthetic stimulus is within 3σ of ordinary is not explained by it.</li>
 * <li>{@link #PREFER} = 1.2: "prefers A to B" needs A at least 20% further above μ than B, so that rounding and
 * small stimulus differences (an arc of radius f/4 is almost straight over its middle) do not decide.</li>
 * <li>{@link #HALF} = 0.5: selectivity is judged at half the peak, the usual half-height of a tuning curve: the
 * opposite orientation of a curve, the orthogonal orientation of a line or grating, the field-filling disc of a
 * centre-surround unit must each stay below half the peak's height above μ.</li>
 * <li>{@link #CURVE_WIDTH} = 135°: a curve detector's orientation tuning above half height covers at most 135° of
 * the circle (InceptionV1's curve families tile 360° with ten or so units, each about 45°–90° wide; 135° leaves
 * room for the coarse 15° sampling and a wide arc) — a line or edge detector answers curves over a wider range.</li>
 * <li>{@link #GRATING_GAIN} = 1.5: a Gabor filter has side lobes, so a grating that fills them drives it at least
 * half as much again as the best lone line or edge does; a line or edge detector gets little from the extra
 * stripes.</li>
 * <li>{@link #CUE_Z} = 2 and {@link #CUE_AGREE} = 45°: a boundary unit answers at least two of the three cues of
 * an object boundary (luminance edge, texture change, colour change), the weaker one at z ≥ 2 and at least half the
 * stronger's height, with their preferred orientations within 45° (the same boundary, seen by different cues).</li>
 * <li>{@link #CURVATURE_END} = 1/1.2: along the curvature series (arcs of one length, so the same ink, from a
 * straight segment to a nearly closed ring of radius f/16) a curve detector's response rises to a preferred
 * curvature and falls again: the peak is an inner curvature and both ends stay at or below 1/1.2 of it (the
 * {@link #PREFER} margin). A unit that only grows with curvature is reading how concentrated the ink is, one that
 * only falls is a line unit; real curve detectors prefer a band of radii (Cammarata et al., "Curve Detectors",
 * 2020).</li>
 * <li>{@link #SHIFT_TURN} = 45°: the f/6 arcs moved by f/8 right, left, up or down, the preferred orientation among
 * them (of the unit's polarity) is within 45° (three orientation samples) of the centred one, in each of the four
 * shifts. A curve detector keeps its preferred curve where the curve moves; a template that happens to overlap an
 * arc at one place, as a random filter stack can, answers some other orientation once it moves. The moved arc's
 * height is measured too ({@link CurveEvidence#shifted}) but not required: at f/8 (about one stride) SqueezeNet's
 * fire6 units, learned or shuffled alike, lose almost all of it (median −4% and −3% of the centred height), so a
 * height threshold rejects every unit of both.</li>
 * <li>{@link #DATA_SHARE} = 0.5: the best arc drives the unit to at least half the height of its top data-set
 * examples ({@link Probe#top}, (arc − μ) / (top − μ)): what most excites a curve detector in real images is a curve,
 * so an idealised arc gets near that level; a unit that images drive far beyond any arc is answering something
 * else.</li>
 * </ul>
 */
public final class Rules {
    public static final double Z_MIN = 3.0;
    public static final double PREFER = 1.2;
    public static final double HALF = 0.5;
    public static final double CURVE_WIDTH = 135;
    public static final double GRATING_GAIN = 1.5;
    public static final double CUE_Z = 2.0;
    public static final double CUE_AGREE = 45;
    public static final double CURVATURE_END = 1 / PREFER;
    public static final double SHIFT_TURN = 45;
    public static final double DATA_SHARE = HALF;

    private Rules() {
    }

    /**
     * One unit's verdict: its family (null for none), the family's score (the z of its best stimulus; for none, the
     * best z of any stimulus), its preferred orientation (degrees, NaN when it has none), size (the grating period,
     * curve radius or spot radius in input pixels, NaN when none), colour (e.g. "red|green", "light on dark"),
     * the best stimulus (set and index within it), and the reason in words.
     */
    public record Verdict(int unit, Family family, double score, double orientation, double size, String color,
                          String set, int stimulus, String reason) {
        public String familyLabel() {
            return family == null ? "none" : family.label();
        }
    }

    /** Applies the rules in {@link Family} order to every unit of a probe. */
    public static List<Verdict> classify(Probe p) {
        List<Verdict> out = new ArrayList<>();
        for (int c = 0; c < p.channels(); c++) {
            out.add(classify(p, c));
        }
        return out;
    }

    /**
     * The family whose rule unit {@code c} passes with the highest score, except that a boundary unit is a boundary
     * unit whatever its single cues score (a multi-cue answer is what makes it one); else none, with the reasons
     * the nearest rules failed. Choosing by score is consistent with the rules' own specificity: a curve must beat
     * lines, a Gabor lone lines and edges, a centre-surround unit every oriented stimulus, so a unit that passes a
     * narrower rule scores higher there than on the broader one.
     */
    public static Verdict classify(Probe p, int c) {
        View v = new View(p, c);
        List<String> failed = new ArrayList<>();
        Verdict chosen = null;
        for (Family f : Family.values()) {
            Verdict r = switch (f) {
                case CENTER_SURROUND -> centreSurround(v, failed);
                case BOUNDARY -> boundary(v, failed);
                case COLOR_CONTRAST -> colorContrast(v, failed);
                case HIGH_LOW -> highLow(v, failed);
                case CURVE -> curve(v, failed);
                case COMPLEX_GABOR -> gabor(v, failed);
                case GABOR -> null;
                case LINE -> line(v, failed);
            };
            if (r != null && r.family() == Family.BOUNDARY) {
                return r;
            }
            if (r != null && (chosen == null || r.score() > chosen.score())) {
                chosen = r;
            }
        }
        if (chosen != null) {
            return chosen;
        }
        String[] all = {"curves", "lines", "edges", "gratings", "boundaries", "color edges", "spots", "color spots"};
        double best = Double.NEGATIVE_INFINITY;
        String bestSet = "curves";
        int bestIdx = 0;
        for (String s : all) {
            float[] r = v.r(s);
            int i = argmax(r);
            if (v.z(r[i]) > best) {
                best = v.z(r[i]);
                bestSet = s;
                bestIdx = i;
            }
        }
        String why = v.silent() ? "silent: the same value for every stimulus and image"
                : best < Z_MIN ? String.format(Locale.ROOT, "no stimulus reaches z %.1f (best %.2f, %s)", Z_MIN, best,
                bestSet) : String.join("; ", failed.subList(0, Math.min(3, failed.size())));
        return new Verdict(c, null, v.silent() ? 0 : best, Double.NaN, Double.NaN, "", bestSet, bestIdx, why);
    }

    // ---- the rules; each returns null (adding why to failed) when the unit does not pass

    /**
     * Centre-surround: the best disc (any colour, either polarity) has z ≥ 3; the field-filling disc of the same
     * colours stays below half its height (an antagonistic surround); the disc beats every oriented stimulus
     * (line, edge, curve, colour edge) by 1.2 (it is not an oriented unit that a disc happens to cover); and lines
     * through the centre are answered alike at every orientation (the weakest keeps half the best's height): an
     * oriented unit, such as a curve detector whose arc a disc covers, answers some orientations and not others.
     */
    static Verdict centreSurround(View v, List<String> failed) {
        String set = v.better("spots", "color spots");
        float[] r = v.r(set);
        int i = argmax(r);
        if (v.z(r[i]) < Z_MIN) {
            return null;
        }
        double[][] prof = v.profile(set, i, "radius");
        double largest = prof[1][prof[1].length - 1];
        if (v.rel(largest, r[i]) > HALF) {
            failed.add("centre-surround: no surround (the field-filling disc keeps "
                    + pct(v.rel(largest, r[i])) + " of the peak)");
            return null;
        }
        double oriented = Math.max(Math.max(v.peak("lines"), v.peak("edges")), Math.max(v.peak("curves"),
                v.peak("color edges")));
        if (!v.beats(r[i], oriented, PREFER)) {
            failed.add("centre-surround: an oriented stimulus does as well as the best disc");
            return null;
        }
        String lineSet = "lines";
        float[] lines = v.r(lineSet);
        int li = argmax(lines);
        if (lines[li] > v.mu) {
            double weakest = Arrays.stream(v.profile(lineSet, li, "orientation")[1]).min().orElse(lines[li]);
            if (v.rel(weakest, lines[li]) < HALF) {
                failed.add("centre-surround: oriented (the weakest line orientation keeps " + pct(v.rel(weakest,
                        lines[li])) + ")");
                return null;
            }
        }
        Table t = v.params(set);
        String color = set.equals("spots") ? t.stringColumn("polarity").get(i) : colorName(t.stringColumn("color")
                .get(i)) + " centre, " + colorName(t.stringColumn("background color").get(i)) + " surround";
        return new Verdict(v.c, Family.CENTER_SURROUND, v.z(r[i]), Double.NaN, t.doubleColumn("radius").get(i),
                color, set, i, String.format(Locale.ROOT, "disc z %.1f, field-filling disc at %s, %s the best "
                + "oriented stimulus", v.z(r[i]), pct(v.rel(largest, r[i])), times(v.ratio(r[i], oriented))));
    }

    /**
     * Boundary: of the three cues of an object boundary (luminance edge, fine/coarse texture boundary, isoluminant
     * colour edge), the strongest has z ≥ 3 and the second z ≥ 2 and at least half the strongest's height, at an
     * orientation within 45° of it; and the strongest cue beats curves (a curve unit that an edge half covers is not
     * a boundary unit).
     */
    static Verdict boundary(View v, List<String> failed) {
        String[] cues = {"edges", "boundaries", "color edges"};
        double[] peak = new double[3];
        int[] at = new int[3];
        for (int k = 0; k < 3; k++) {
            float[] r = v.r(cues[k]);
            at[k] = argmax(r);
            peak[k] = r[at[k]];
        }
        Integer[] order = {0, 1, 2};
        Arrays.sort(order, (a, b) -> Double.compare(peak[b], peak[a]));
        int a = order[0];
        int b = order[1];
        if (v.z(peak[a]) < Z_MIN || v.z(peak[b]) < CUE_Z) {
            return null;
        }
        if (v.rel(peak[b], peak[a]) < HALF) {
            failed.add("boundary: one cue only (" + cues[a] + "; " + cues[b] + " reaches " + pct(v.rel(peak[b],
                    peak[a])) + ")");
            return null;
        }
        double ta = v.params(cues[a]).doubleColumn("orientation").get(at[a]);
        double tb = v.params(cues[b]).doubleColumn("orientation").get(at[b]);
        if (angle(ta, tb, 360) > CUE_AGREE) {
            failed.add("boundary: " + cues[a] + " and " + cues[b] + " prefer orientations " + fmt(ta) + "° and "
                    + fmt(tb) + "°");
            return null;
        }
        if (!v.beats(peak[a], v.peak("curves"), 1.0)) {
            failed.add("boundary: curves drive it more than any boundary cue");
            return null;
        }
        return new Verdict(v.c, Family.BOUNDARY, v.z(peak[a]), ta, Double.NaN, "", cues[a], at[a],
                String.format(Locale.ROOT, "%s z %.1f and %s z %.1f (%s of it) agree at %s°/%s°", cues[a],
                        v.z(peak[a]), cues[b], v.z(peak[b]), pct(v.rel(peak[b], peak[a])), fmt(ta), fmt(tb)));
    }

    /**
     * Colour contrast: the best isoluminant colour edge has z ≥ 3 and beats the full-contrast black/white edge by
     * 1.2 (the unit reads colour, not brightness), and the same colours the other way round (the edge turned by
     * 180°) stay below half its height (which colour lies on which side matters).
     */
    static Verdict colorContrast(View v, List<String> failed) {
        float[] r = v.r("color edges");
        int i = argmax(r);
        if (v.z(r[i]) < Z_MIN) {
            return null;
        }
        if (!v.beats(r[i], v.peak("edges"), PREFER)) {
            failed.add("colour contrast: a black/white edge does as well (" + fmt(v.ratio(r[i], v.peak("edges")))
                    + "×)");
            return null;
        }
        double theta = v.params("color edges").doubleColumn("orientation").get(i);
        double opposite = v.at(v.profile("color edges", i, "orientation"), theta + 180, 360);
        if (v.rel(opposite, r[i]) > HALF) {
            failed.add("colour contrast: not directional (the swapped colours keep " + pct(v.rel(opposite, r[i]))
                    + ")");
            return null;
        }
        Table t = v.params("color edges");
        String color = colorName(t.stringColumn("color").get(i)) + "|" + colorName(t.stringColumn("background color")
                .get(i));
        return new Verdict(v.c, Family.COLOR_CONTRAST, v.z(r[i]), theta, Double.NaN, color, "color edges", i,
                String.format(Locale.ROOT, "colour edge z %.1f, %s the black/white edge, swapped colours at %s",
                        v.z(r[i]), times(v.ratio(r[i], v.peak("edges"))), pct(v.rel(opposite, r[i]))));
    }

    /**
     * High-low frequency: the best fine/coarse texture boundary has z ≥ 3, does at least as well as a full-contrast
     * luminance edge (texture, not brightness, is what it reads), and the boundary turned by 180° (fine on the other
     * side) stays below half its height.
     */
    static Verdict highLow(View v, List<String> failed) {
        float[] r = v.r("boundaries");
        int i = argmax(r);
        if (v.z(r[i]) < Z_MIN) {
            return null;
        }
        if (!v.beats(r[i], v.peak("edges"), 1.0)) {
            failed.add("high-low: a luminance edge does better than a texture boundary");
            return null;
        }
        double theta = v.params("boundaries").doubleColumn("orientation").get(i);
        double opposite = v.at(v.profile("boundaries", i, "orientation"), theta + 180, 360);
        if (v.rel(opposite, r[i]) > HALF) {
            failed.add("high-low: fine on either side will do (" + pct(v.rel(opposite, r[i])) + ")");
            return null;
        }
        return new Verdict(v.c, Family.HIGH_LOW, v.z(r[i]), theta, Double.NaN, "", "boundaries", i,
                String.format(Locale.ROOT, "texture boundary z %.1f, %s the luminance edge, reversed at %s",
                        v.z(r[i]), times(v.ratio(r[i], v.peak("edges"))), pct(v.rel(opposite, r[i]))));
    }

    /**
     * What the curve rule looks at for unit {@code c}, whether or not it passes: the best arc of {@code curves}
     * (its z, orientation, radius and polarity), how much it beats the best line and edge by, the opposite arc's
     * relative level and the orientation tuning's width; the curvature series at the best orientation and
     * polarity ({@code curvature[0]} the straight segment, then radii f/2 … f/16, each relative to the series'
     * peak, {@code peak} its index); the weakest of the four shifted f/6 arcs relative to the centred one and the
     * largest turn of the preferred orientation under a shift; and the best arc against the unit's top data-set
     * examples ({@link Probe#top}), (arc − μ) / (top − μ).
     */
    public record CurveEvidence(int unit, double z, double orientation, double radius, String polarity,
                                double overLines, double overEdges, double opposite, double width,
                                double[] curvature, int peak, double shifted, double turn, double data) {
        /** The curvature series' response to the straight segment, relative to its peak. */
        public double straight() {
            return curvature[0];
        }

        /** The curvature series' response to the tightest ring (radius f/16), relative to its peak. */
        public double tight() {
            return curvature[curvature.length - 1];
        }
    }

    /** The curve rule's measurements for unit {@code c} of a probe (see {@link CurveEvidence}). */
    public static CurveEvidence curveEvidence(Probe p, int c) {
        return curveEvidence(new View(p, c));
    }

    static CurveEvidence curveEvidence(View v) {
        float[] r = v.r("curves");
        int i = argmax(r);
        Table t = v.params("curves");
        double theta = t.doubleColumn("orientation").get(i);
        String pol = t.stringColumn("polarity").get(i);
        double[][] prof = v.profile("curves", i, "orientation");
        double opposite = v.rel(v.at(prof, theta + 180, 360), r[i]);
        double width = v.width(prof, r[i], 15);
        int[] ks = Battery.CURVATURES;
        double[] series = new double[ks.length + 1];
        series[0] = v.r("curvature 0")[v.find("curvature 0", (theta + 90) % 180, 180, pol)];
        for (int k = 0; k < ks.length; k++) {
            String set = "curvature " + ks[k];
            series[k + 1] = v.r(set)[v.find(set, theta, 360, pol)];
        }
        int peak = 0;
        for (int k = 1; k < series.length; k++) {
            if (series[k] > series[peak]) {
                peak = k;
            }
        }
        double[] rel = new double[series.length];
        for (int k = 0; k < series.length; k++) {
            rel[k] = v.rel(series[k], series[peak]);
        }
        // the centred f/6 arc at the best orientation and polarity is what the shifted ones are compared with
        double f = v.probe.battery().field();
        int centred = -1;
        for (int k = 0; k < t.rowCount(); k++) {
            if (Math.abs(t.doubleColumn("radius").get(k) - f / 6) < 1e-6 && t.stringColumn("polarity").get(k)
                    .equals(pol) && angle(t.doubleColumn("orientation").get(k), theta, 360) < 1e-6) {
                centred = k;
            }
        }
        double reference = centred >= 0 && r[centred] > v.mu ? r[centred] : r[i];
        double shifted = Double.POSITIVE_INFINITY;
        double turn = 0;
        for (int k = 0; ; k++) {
            String set = "curves shifted " + k;
            if (!v.probe.sets().contains(set)) {
                break;
            }
            float[] s = v.r(set);
            shifted = Math.min(shifted, v.rel(s[v.find(set, theta, 360, pol)], reference));
            // the preferred orientation among the shifted arcs of the same polarity
            Table st = v.params(set);
            int best = -1;
            for (int j = 0; j < s.length; j++) {
                if (st.stringColumn("polarity").get(j).equals(pol) && (best < 0 || s[j] > s[best])) {
                    best = j;
                }
            }
            turn = Math.max(turn, angle(st.doubleColumn("orientation").get(best), theta, 360));
        }
        double top = v.probe.top(v.c);
        double data = top - v.mu > 0 ? (r[i] - v.mu) / (top - v.mu) : Double.POSITIVE_INFINITY;
        return new CurveEvidence(v.c, v.z(r[i]), theta, t.doubleColumn("radius").get(i), pol,
                v.ratio(r[i], v.peak("lines")), v.ratio(r[i], v.peak("edges")), opposite, width, rel, peak,
                shifted, turn, data);
    }

    /**
     * Curve: the best arc has z ≥ 3 and beats the best straight line by 1.2 and the best edge; at its radius and
     * polarity, the arc facing the other way (orientation + 180°) stays below half its height (a line detector
     * answers both), and the orientations above half height cover at most 135°. Then what a rigid template (a
     * random filter that happens to overlap an arc) does not do: along the curvature series at its orientation and
     * polarity (arcs of one length from straight to a ring of radius f/16) the peak is an inner curvature, and
     * the straight segment and the tightest ring each stay at or below {@link #CURVATURE_END} of it; with the f/6
     * arcs shifted by f/8 in any of four directions the preferred orientation turns by at most {@link #SHIFT_TURN};
     * and the best arc reaches {@link #DATA_SHARE} of the height of the unit's top data-set examples.
     */
    static Verdict curve(View v, List<String> failed) {
        float[] r = v.r("curves");
        int i = argmax(r);
        if (v.z(r[i]) < Z_MIN) {
            return null;
        }
        if (!v.beats(r[i], v.peak("lines"), PREFER) || !v.beats(r[i], v.peak("edges"), 1.0)) {
            failed.add("curve: straight lines or edges do as well (" + fmt(v.ratio(r[i], Math.max(v.peak("lines"),
                    v.peak("edges")))) + "×)");
            return null;
        }
        CurveEvidence e = curveEvidence(v);
        if (e.opposite() > HALF) {
            failed.add("curve: the opposite arc keeps " + pct(e.opposite()));
            return null;
        }
        if (e.width() > CURVE_WIDTH) {
            failed.add("curve: orientation tuning " + fmt(e.width()) + "° wide");
            return null;
        }
        if (v.probe.sets().contains("curvature 0")) {
            if (e.peak() == 0 || e.peak() == e.curvature().length - 1 || e.straight() > CURVATURE_END
                    || e.tight() > CURVATURE_END) {
                failed.add("curve: not tuned to curvature (straight " + pct(e.straight()) + ", tightest ring "
                        + pct(e.tight()) + " of the peak at radius f/" + (e.peak() == 0 ? "∞"
                        : String.valueOf(Battery.CURVATURES[e.peak() - 1])) + ")");
                return null;
            }
            if (e.turn() > SHIFT_TURN) {
                failed.add("curve: position-bound (shifted by f/8 the preferred orientation turns " + fmt(e.turn())
                        + "°; the arc keeps " + pct(e.shifted()) + ")");
                return null;
            }
            if (e.data() < DATA_SHARE) {
                failed.add("curve: the best arc reaches " + pct(e.data()) + " of the top data-set examples");
                return null;
            }
        }
        Table t = v.params("curves");
        return new Verdict(v.c, Family.CURVE, v.z(r[i]), e.orientation(), e.radius(), e.polarity(), "curves", i,
                String.format(Locale.ROOT, "arc z %.1f, %s the best line, opposite arc at %s, %s° wide; "
                        + "straight %s and ring %s of the curvature peak; shifted keeps %s; %s of top examples",
                        v.z(r[i]), times(v.ratio(r[i], v.peak("lines"))), pct(e.opposite()), fmt(e.width()),
                        pct(e.straight()), pct(e.tight()), pct(e.shifted()), pct(e.data())));
    }

    /**
     * Gabor and complex Gabor: the best grating has z ≥ 3 and beats the best line or edge by 1.5 (side lobes); at
     * its frequency and phase the orthogonal grating stays below half its height. Over the four phases at its
     * orientation and frequency, the weakest stays below half the peak's height for a (simple) Gabor, and above it
     * for a complex Gabor, which answers a grating wherever its stripes fall.
     */
    static Verdict gabor(View v, List<String> failed) {
        float[] r = v.r("gratings");
        int i = argmax(r);
        if (v.z(r[i]) < Z_MIN) {
            return null;
        }
        double single = Math.max(v.peak("lines"), v.peak("edges"));
        if (!v.beats(r[i], single, GRATING_GAIN)) {
            failed.add("gabor: a lone line or edge does nearly as well (" + fmt(v.ratio(r[i], single)) + "×)");
            return null;
        }
        Table t = v.params("gratings");
        double theta = t.doubleColumn("orientation").get(i);
        double orth = v.at(v.profile("gratings", i, "orientation"), theta + 90, 180);
        if (v.rel(orth, r[i]) > HALF) {
            failed.add("gabor: not orientation-selective (orthogonal grating keeps " + pct(v.rel(orth, r[i])) + ")");
            return null;
        }
        double[][] phases = v.profile("gratings", i, "phase");
        double weakest = Arrays.stream(phases[1]).min().orElse(r[i]);
        boolean complex = v.rel(weakest, r[i]) > HALF;
        double period = v.probe.battery().sets().get("gratings").width() / t.doubleColumn("frequency").get(i);
        return new Verdict(v.c, complex ? Family.COMPLEX_GABOR : Family.GABOR, v.z(r[i]), theta, period, "",
                "gratings", i, String.format(Locale.ROOT, "grating z %.1f, %s a lone line/edge, orthogonal at "
                + "%s, weakest phase at %s", v.z(r[i]), times(v.ratio(r[i], single)), pct(v.rel(orth, r[i])),
                pct(v.rel(weakest, r[i]))));
    }

    /**
     * Line/edge: the best line (either polarity) or edge has z ≥ 3, and at its polarity the orthogonal line (or
     * both orthogonal edges) stay below half its height.
     */
    static Verdict line(View v, List<String> failed) {
        String set = v.better("lines", "edges");
        float[] r = v.r(set);
        int i = argmax(r);
        if (v.z(r[i]) < Z_MIN) {
            return null;
        }
        double theta = v.params(set).doubleColumn("orientation").get(i);
        double[][] prof = v.profile(set, i, "orientation");
        double orth = set.equals("lines") ? v.at(prof, theta + 90, 180)
                : Math.max(v.at(prof, theta + 90, 360), v.at(prof, theta - 90, 360));
        if (v.rel(orth, r[i]) > HALF) {
            failed.add("line/edge: not orientation-selective (orthogonal keeps " + pct(v.rel(orth, r[i])) + ")");
            return null;
        }
        String color = set.equals("lines") ? "line, " + v.params(set).stringColumn("polarity").get(i) : "edge";
        return new Verdict(v.c, Family.LINE, v.z(r[i]), theta, Double.NaN, color, set, i,
                String.format(Locale.ROOT, "%s z %.1f, orthogonal at %s", set.substring(0, set.length() - 1),
                        v.z(r[i]), pct(v.rel(orth, r[i]))));
    }

    // ---- helpers

    static int argmax(float[] r) {
        int b = 0;
        for (int i = 1; i < r.length; i++) {
            if (r[i] > r[b]) {
                b = i;
            }
        }
        return b;
    }

    /** The smaller angle between two directions with the given period (360 for directions, 180 for axes). */
    static double angle(double a, double b, double period) {
        double d = Math.abs(((a - b) % period + period) % period);
        return Math.min(d, period - d);
    }

    // a ratio over a response at baseline is infinite: shown as ∞, not Java's "Infinity"
    private static String pct(double rel) {
        return Double.isInfinite(rel) ? (rel > 0 ? "∞%" : "−∞%") : String.format(Locale.ROOT, "%.0f%%", 100 * rel);
    }

    private static String fmt(double d) {
        return Double.isInfinite(d) ? (d > 0 ? "∞" : "−∞")
                : String.format(Locale.ROOT, d == Math.rint(d) ? "%.0f" : "%.2f", d);
    }

    private static String times(double ratio) {
        return Double.isInfinite(ratio) ? fmt(ratio) + "×" : String.format(Locale.ROOT, "%.1f×", ratio);
    }

    /** A colour's name for the battery's colours, else its hex. */
    static String colorName(String hex) {
        return switch (hex) {
            case "#ff0000" -> "red";
            case "#00ff00" -> "green";
            case "#0000ff" -> "blue";
            case "#807f00" -> "yellow";
            case "#000000" -> "black";
            case "#ffffff" -> "white";
            default -> hex;
        };
    }

    /** One unit's responses, with the data-set normalisation. */
    static final class View {
        final Probe probe;
        final int c;
        final double mu;
        final double sd;

        View(Probe probe, int c) {
            this.probe = probe;
            this.c = c;
            this.mu = probe.mean(c);
            this.sd = probe.sd(c);
        }

        /** The responses to a set; "boundaries" is the mean over the texture seeds. */
        float[] r(String set) {
            if (set.equals("boundaries")) {
                List<float[]> seeds = new ArrayList<>();
                for (String s : probe.sets()) {
                    if (s.startsWith("boundaries")) {
                        seeds.add(probe.responses(s, c));
                    }
                }
                float[] m = new float[seeds.get(0).length];
                for (float[] s : seeds) {
                    for (int i = 0; i < m.length; i++) {
                        m[i] += s[i] / seeds.size();
                    }
                }
                return m;
            }
            return probe.responses(set, c);
        }

        Table params(String set) {
            return probe.parameters(set.equals("boundaries") ? probe.sets().stream().filter(s -> s.startsWith(
                    "boundaries")).findFirst().orElseThrow() : set);
        }

        double peak(String set) {
            float[] r = r(set);
            return r[argmax(r)];
        }

        String better(String a, String b) {
            return peak(b) > peak(a) ? b : a;
        }

        /** Every stimulus gives the data-set mean: the unit does not vary at all here. */
        boolean silent() {
            for (String s : probe.sets()) {
                for (float x : probe.responses(s, c)) {
                    if (Math.abs(x - mu) > 1e-6 * (1 + Math.abs(mu))) {
                        return false;
                    }
                }
            }
            return true;
        }

        /** Standard deviations above the data-set mean (a unit constant on the data: any response is infinite). */
        double z(double v) {
            double s = sd > 1e-9 * Math.max(1, Math.abs(mu)) ? sd : 1e-9 * Math.max(1, Math.abs(mu));
            return (v - mu) / s;
        }

        double rel(double v, double peak) {
            return peak - mu > 0 ? (v - mu) / (peak - mu) : 1;
        }

        boolean beats(double a, double b, double k) {
            return a - mu >= k * (b - mu) || b - mu <= 0;
        }

        double ratio(double a, double b) {
            return b - mu > 0 ? (a - mu) / (b - mu) : Double.POSITIVE_INFINITY;
        }

        /**
         * The responses over one parameter with every other parameter as in stimulus {@code i}: {values,
         * responses}, in the set's order.
         */
        double[][] profile(String set, int i, String param) {
            Table t = params(set);
            float[] r = r(set);
            List<Column<?>> others = new ArrayList<>();
            for (Column<?> col : t.columns()) {
                String n = col.name();
                if (!n.equals(param) && !n.equals("index") && !n.equals("image")) {
                    others.add(col);
                }
            }
            List<double[]> rows = new ArrayList<>();
            for (int k = 0; k < t.rowCount(); k++) {
                boolean same = true;
                for (Column<?> col : others) {
                    if (!col.get(k).equals(col.get(i))) {
                        same = false;
                        break;
                    }
                }
                if (same) {
                    rows.add(new double[] {t.doubleColumn(param).get(k), r[k]});
                }
            }
            double[][] out = new double[2][rows.size()];
            for (int k = 0; k < rows.size(); k++) {
                out[0][k] = rows.get(k)[0];
                out[1][k] = rows.get(k)[1];
            }
            return out;
        }

        /** The stimulus of a set whose orientation is nearest {@code orientation} among those of polarity {@code pol}. */
        int find(String set, double orientation, double period, String pol) {
            Table t = params(set);
            int best = -1;
            for (int k = 0; k < t.rowCount(); k++) {
                if (t.stringColumn("polarity").get(k).equals(pol) && (best < 0 || angle(t.doubleColumn("orientation")
                        .get(k), orientation, period) < angle(t.doubleColumn("orientation").get(best), orientation,
                        period))) {
                    best = k;
                }
            }
            return best;
        }

        /** The response at the sampled value nearest {@code value} (angles modulo {@code period}). */
        double at(double[][] prof, double value, double period) {
            int best = 0;
            for (int k = 1; k < prof[0].length; k++) {
                if (angle(prof[0][k], value, period) < angle(prof[0][best], value, period)) {
                    best = k;
                }
            }
            return prof[1][best];
        }

        /** Degrees of orientation (samples {@code step} apart) whose response is at least half the peak's height. */
        double width(double[][] prof, double peak, double step) {
            int n = 0;
            for (double r : prof[1]) {
                if (rel(r, peak) >= HALF) {
                    n++;
                }
            }
            return n * step;
        }
    }
}
