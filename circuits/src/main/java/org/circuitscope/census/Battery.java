package org.circuitscope.census;

import java.awt.Color;
import java.util.LinkedHashMap;
import java.util.Map;
import org.circuitscope.examples.ReceptiveField;
import org.circuitscope.model.Layer;
import org.circuitscope.model.Model;
import org.circuitscope.stimuli.Stimuli;
import org.circuitscope.stimuli.StimulusSet;

/**
 * The stimuli a census shows every unit of a layer, scaled to the layer's receptive field and centred on the
 * receptive field of the layer's centre position (H/2, W/2), where {@link org.circuitscope.activations.Reduce#CENTER}
 * reads. Sizes are fractions of the field size {@code f} (the theoretical field, clipped to the input), because an
 * early unit that sees 11 pixels and a later one that sees 100 cannot be asked about the same curve:
 * <ul>
 * <li>{@code curves}: 24 orientations (15° apart), radii f/8, f/6 and f/4, span 90°, both polarities;</li>
 * <li>{@code lines}: 12 orientations over 180° (a line is its own 180° rotation), length f/2, both polarities;</li>
 * <li>{@code edges}: 24 orientations, black on the side the orientation points to (the other polarity is the
 * same edge turned by 180°);</li>
 * <li>{@code gratings}: 12 orientations over 180°, periods f/2, f/4 and f/8 (at least 2.5 pixels), 4 phases
 * (a grating's other polarity is its 180° phase);</li>
 * <li>{@code boundaries}: fine (period max(2, f/16)) against coarse (max(8, f/2)) texture, 24 orientations over
 * 360°, two texture seeds (averaged, so no one texture decides);</li>
 * <li>{@code color edges}: red or yellow and blue against green or yellow, equal in mean RGB (so a unit
 * that reads only brightness sees no edge), 24 orientations over 360°;</li>
 * <li>{@code spots}: discs of radius f/16 to f (the last fills the field), black on white both polarities, red on
 * green and blue on yellow both ways round.</li>
 * <li>{@code curvature k} for k = 2, 4, 6, 8, 12, 16 and {@code curvature 0}: the curve detector's curvature
 * series, arcs of one length {@link #ARC_LENGTH}·f at radius f/k (curvature k/f; span = length / radius, from 38°
 * for f/2 to 306° for f/16, a nearly closed ring), 24 orientations, both polarities, and {@code curvature 0}
 * straight segments of the same length (12 orientations, both polarities): the same ink at every curvature, so
 * that a unit's tuning along the series is tuning to curvature, not to how much of the arc there is;</li>
 * <li>{@code curves shifted k} for k = 0..3: the f/6 arcs of {@code curves} (24 orientations, both polarities)
 * centred {@link #SHIFT}·f to the right, left, up and down of the field's centre, for position tolerance.</li>
 * </ul>
 * The stroke is max(1.5, f/24) pixels thick.
 */
public final class Battery {
    /** Mean-RGB isoluminant colour pairs: red (1/3) against green (1/3), blue (1/3) against dark yellow (1/3). */
    public static final Color RED = new Color(255, 0, 0);
    public static final Color GREEN = new Color(0, 255, 0);
    public static final Color BLUE = new Color(0, 0, 255);
    public static final Color YELLOW = new Color(128, 127, 0);

    /** The radii of the curvature series, as divisors of the field (radius f/k). */
    public static final int[] CURVATURES = {2, 4, 6, 8, 12, 16};
    /** The arc length of the curvature series, as a share of the field. */
    public static final double ARC_LENGTH = 1.0 / 3;
    /** How far the shifted arcs are moved from the field's centre, as a share of the field. */
    public static final double SHIFT = 1.0 / 8;

    private final Map<String, StimulusSet> sets = new LinkedHashMap<>();
    private final int height;
    private final int width;
    private final double cx;
    private final double cy;
    private final double field;

    private Battery(int height, int width, double cx, double cy, double field) {
        this.height = height;
        this.width = width;
        this.cx = cx;
        this.cy = cy;
        this.field = field;
    }

    /** The battery for {@code layer} of {@code model}. */
    public static Battery of(Model model, String layer) {
        Layer l = model.layers().get(layer);
        int h = model.input().height();
        int w = model.input().width();
        double cx = w / 2.0;
        double cy = h / 2.0;
        double f = Math.min(h, w);
        if (l.spatial()) {
            ReceptiveField rf = ReceptiveField.of(model, l.name());
            if (!rf.whole()) {
                double[] c = rf.centre((int) l.shape()[2] / 2, (int) l.shape()[3] / 2);
                cx = Math.max(0, Math.min(w, c[0]));
                cy = Math.max(0, Math.min(h, c[1]));
                f = Math.min(f, Math.max(rf.sizeX(), rf.sizeY()));
            }
        }
        return build(h, w, cx, cy, f);
    }

    /** A battery for an {@code h}×{@code w} input, centred at (cx, cy), for a field of {@code f} pixels. */
    public static Battery build(int h, int w, double cx, double cy, double f) {
        Battery b = new Battery(h, w, cx, cy, f);
        double thick = Math.max(1.5, f / 24);
        b.put("curves", Stimuli.curves().orientations(0, 360, 15).radii(f / 8, f / 6, f / 4).thickness(thick).spans(90)
                .bothPolarities());
        b.put("lines", Stimuli.lines().orientations(0, 180, 15).lengths(f / 2).thickness(thick).bothPolarities());
        b.put("edges", Stimuli.edges().orientations(0, 360, 15));
        double[] periods = {f / 2, Math.max(2.5, f / 4), Math.max(2.5, f / 8)};
        double[] freqs = new double[periods.length];
        for (int i = 0; i < periods.length; i++) {
            freqs[i] = w / periods[i];
        }
        b.put("gratings", Stimuli.gratings().orientations(0, 180, 15).frequencies(freqs).phases(0, 90, 180, 270));
        for (long seed : new long[] {1, 2}) {
            b.put("boundaries" + seed, Stimuli.boundaries().orientations(0, 360, 15)
                    .values("high", w / Math.max(2, f / 16)).values("low", w / Math.max(8, f / 2)).seed(seed));
        }
        b.put("color edges", Stimuli.edges().orientations(0, 360, 15).colors(RED, BLUE)
                .backgroundColors(GREEN, YELLOW));
        double[] radii = {Math.max(1, f / 16), f / 8, f / 4, f / 2, f};
        b.put("spots", Stimuli.spots().radii(radii).bothPolarities());
        b.put("color spots", Stimuli.spots().radii(radii).colors(RED, BLUE).backgroundColors(GREEN, YELLOW)
                .bothPolarities());
        double length = ARC_LENGTH * f;
        b.put("curvature 0", Stimuli.lines().orientations(0, 180, 15).lengths(length).thickness(thick)
                .bothPolarities());
        for (int k : CURVATURES) {
            double r = f / k;
            b.put("curvature " + k, Stimuli.curves().orientations(0, 360, 15).radii(r).thickness(thick)
                    .spans(Math.toDegrees(length / r)).bothPolarities());
        }
        for (StimulusSet s : b.sets.values()) {
            s.size(h, w).centre(cx, cy);
        }
        double d = SHIFT * f;
        double[][] shifts = {{d, 0}, {-d, 0}, {0, -d}, {0, d}};
        for (int k = 0; k < shifts.length; k++) {
            b.put("curves shifted " + k, Stimuli.curves().orientations(0, 360, 15).radii(f / 6).thickness(thick)
                    .spans(90).bothPolarities().size(h, w).centre(Math.max(0, Math.min(w, cx + shifts[k][0])),
                            Math.max(0, Math.min(h, cy + shifts[k][1]))));
        }
        return b;
    }

    private void put(String name, StimulusSet s) {
        sets.put(name, s);
    }

    /** The sets by name, in showing order. */
    public Map<String, StimulusSet> sets() {
        return sets;
    }

    /** {height, width, centre x, centre y, field}: what {@link #build} was given (to rebuild a saved probe's). */
    public double[] spec() {
        return new double[] {height, width, cx, cy, field};
    }

    /** The field size the stimuli were scaled to, in input pixels. */
    public double field() {
        return field;
    }

    public int count() {
        return sets.values().stream().mapToInt(StimulusSet::count).sum();
    }
}
