package org.circuitscope.census;

import java.util.ArrayList;
import java.util.List;
import org.circuitscope.model.InputSpec;
import org.circuitscope.model.Model;
import org.circuitscope.onnx.export.OnnxWriter;

/**
 * A hand-wired network with one planted detector of every family, whose answers are known. 3×64×64 RGB in [0, 1]
 * → {@code a} (11 channels, 11×11, padding 5) → {@code a_relu} → {@code families} (21×21, padding 10) →
 * {@code families_relu}, the layer a census reads (field 31 pixels).
 *
 * <p>Layer {@code a} computes features that stay linear through its ReLU or come in ± pairs: 0 brightness
 * (mean RGB), 1/2 red−green±, 3/4 blue−yellow±, 5/6 a Laplacian of brightness± (fine-texture energy), 7–10 a
 * quadrature pair of Gabor filters at 150°, period 7.75 pixels, ± each (their rectified sum is phase-invariant),
 * 11–13 arc detectors (a stroke between dark flanks along an arc facing 0°, 135° dark, 270°, less 0.4 × the
 * opposite arc, thresholded at 0.8 of the response to its own arc: the early curve units a curve detector is built
 * from; see {@link #arcDetector}). Layer {@code families}
 * plants, in input-pixel coordinates of the kernel (x right, y up, orientations
 * counter-clockwise from pointing right, the stimuli's convention), with each kernel's mean removed where it
 * reads brightness so that a uniform image gives zero:
 * <ol start="0">
 * <li>a curve facing 0° (bright arc, radius 5.2, span 90°): its arc detector pooled flat over a disc of radius 6,
 * so that it answers the arc wherever it falls near the centre of its field, as real curve detectors do;</li>
 * <li>a curve facing 135° (dark arc), likewise;</li>
 * <li>a curve facing 270° (bright arc), likewise;</li>
 * <li>a bright line at 30°;</li>
 * <li>an edge at 120° (dark on the side the orientation points to);</li>
 * <li>a Gabor at 60°, period 7.75;</li>
 * <li>a complex Gabor at 150° (pooled rectified quadrature pair);</li>
 * <li>a high-low frequency detector, fine texture towards 0°;</li>
 * <li>a red|green colour contrast edge, red towards 45°;</li>
 * <li>a bright-centre centre-surround (difference of Gaussians);</li>
 * <li>a blue-centre, yellow-surround colour centre-surround;</li>
 * <li>a boundary detector at 300°: dark edge, fine texture and red, all on that side;</li>
 * <li>none: mean brightness over the field (answers everything alike);</li>
 * <li>none: silent (zero weights, bias −1);</li>
 * <li>a rigid arc template facing 0° read straight from brightness (the arc less 0.4 × the opposite arc, no
 * threshold, no pooling): it prefers the arc to lines and the opposite arc as a curve detector does, but only
 * where the arc lies exactly on its template — what a random filter that happens to overlap an arc looks like.
 * Not a curve detector;</li>
 * <li>random weights (seeded Gaussian over every channel of {@code a}): not a curve detector.</li>
 * </ol>
 */
public final class PlantedFamilies {
    public static final int SIZE = 64;
    public static final String LAYER = "families_relu";
    static final int KA = 11;
    static final int KB = 21;
    static final int A = 14;
    static final double PERIOD = 7.75;

    private PlantedFamilies() {
    }

    interface Field {
        double at(double x, double y);
    }

    /** A k×k plane from a function of kernel coordinates (x right, y up, 0 at the centre tap). */
    static float[] plane(int k, Field f) {
        float[] p = new float[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                p[i * k + j] = (float) f.at(j - k / 2, k / 2 - i);
            }
        }
        return p;
    }

    /** The plane minus its mean over the disc of radius {@code r} (and zero outside it). */
    static float[] zeroMean(float[] p, int k, double r) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                if (Math.hypot(j - k / 2, k / 2 - i) <= r) {
                    s += p[i * k + j];
                    n++;
                }
            }
        }
        float[] out = new float[p.length];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                out[i * k + j] = Math.hypot(j - k / 2, k / 2 - i) <= r ? (float) (p[i * k + j] - s / n) : 0;
            }
        }
        return out;
    }

    static float[] scale(float[] p, double s) {
        float[] o = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            o[i] = (float) (p[i] * s);
        }
        return o;
    }

    static double proj(double x, double y, double deg) {
        double t = Math.toRadians(deg);
        return x * Math.cos(t) + y * Math.sin(t);
    }

    /** An arc of radius r and span 90° whose middle is at the centre and whose outer side faces {@code deg}. */
    static float[] arc(double deg, double r) {
        return arc(KB, deg, r);
    }

    /** The same on a k×k kernel (zero mean over the disc of radius k/2). */
    static float[] arc(int k, double deg, double r) {
        double t = Math.toRadians(deg);
        double cx = -r * Math.cos(t);
        double cy = -r * Math.sin(t);
        return zeroMean(plane(k, (x, y) -> {
            double d = Math.hypot(x - cx, y - cy);
            double off = Math.abs(Math.IEEEremainder(Math.atan2(y - cy, x - cx) - t, 2 * Math.PI));
            return off <= Math.toRadians(45) ? Math.exp(-(d - r) * (d - r) / (2 * 0.8 * 0.8)) : 0;
        }), k, k / 2);
    }

    /**
     * A rigid curve template: the arc facing {@code deg} less 0.4 × the arc facing the other way, which shares its
     * middle: opposite curvature inhibits, so the opposite arc and straight lines (which overlap both) answer
     * little.
     */
    static float[] curve(double deg) {
        return curve(KB, deg);
    }

    static float[] curve(int k, double deg) {
        float[] a = arc(k, deg, 5.2);
        float[] o = arc(k, deg + 180, 5.2);
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] - 0.4f * o[i];
        }
        return out;
    }

    static float[] line(double deg, double half) {
        return zeroMean(plane(KB, (x, y) -> {
            double along = proj(x, y, deg);
            double across = proj(x, y, deg + 90);
            return Math.abs(along) <= half ? Math.exp(-across * across / (2 * 0.8 * 0.8)) : 0;
        }), KB, 10);
    }

    /** +1 on the side {@code deg} points to, −1 on the other, smoothly, within radius r. */
    static float[] sides(double deg, double r) {
        return zeroMean(plane(KB, (x, y) -> Math.tanh(proj(x, y, deg))), KB, r);
    }

    /** +1 on the side {@code deg} points to beyond one pixel, −1 on the other, within radius r. */
    static float[] halves(double deg, double r) {
        return zeroMean(plane(KB, (x, y) -> {
            double p = proj(x, y, deg);
            return p > 1 ? 1 : p < -1 ? -1 : 0;
        }), KB, r);
    }

    static float[] gaussian(int k, double sigma) {
        return plane(k, (x, y) -> Math.exp(-(x * x + y * y) / (2 * sigma * sigma)));
    }

    static float[] dog(double centre, double surround) {
        float[] c = gaussian(KB, centre);
        float[] s = gaussian(KB, surround);
        double sc = 0;
        double ss = 0;
        for (int i = 0; i < c.length; i++) {
            sc += c[i];
            ss += s[i];
        }
        float[] out = new float[c.length];
        for (int i = 0; i < c.length; i++) {
            out[i] = (float) (c[i] / sc - s[i] / ss) * 20;
        }
        return out;
    }

    static float[] gabor(int k, double deg, double period, double sigma, double phase) {
        return zeroMean(plane(k, (x, y) -> Math.cos(2 * Math.PI * proj(x, y, deg) / period + phase)
                * Math.exp(-(x * x + y * y) / (2 * sigma * sigma))), k, k / 2.0);
    }

    public static Model create() {
        int kk = KA * KA;
        float[] wa = new float[A * 3 * kk];
        int mid = (KA / 2) * KA + KA / 2;
        // 0 brightness; 1/2 red−green ±; 3/4 blue−yellow ±
        for (int c = 0; c < 3; c++) {
            wa[(0 * 3 + c) * kk + mid] = 1f / 3;
        }
        float[] rg = {1, -1, 0};
        float[] by = {-0.5f, -0.5f, 1};
        for (int c = 0; c < 3; c++) {
            wa[(1 * 3 + c) * kk + mid] = rg[c];
            wa[(2 * 3 + c) * kk + mid] = -rg[c];
            wa[(3 * 3 + c) * kk + mid] = by[c];
            wa[(4 * 3 + c) * kk + mid] = -by[c];
        }
        // 5/6 Laplacian of brightness ±
        float[] lap = plane(KA, (x, y) -> x == 0 && y == 0 ? 1 : Math.abs(x) + Math.abs(y) == 1 ? -0.25 : 0);
        float[] even = gabor(KA, 150, PERIOD, 2.5, 0);
        float[] odd = gabor(KA, 150, PERIOD, 2.5, -Math.PI / 2);
        float[][] lumPlanes = {lap, scale(lap, -1), even, scale(even, -1), odd, scale(odd, -1)};
        for (int k = 0; k < lumPlanes.length; k++) {
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < kk; p++) {
                    wa[((5 + k) * 3 + c) * kk + p] = lumPlanes[k][p] / 3;
                }
            }
        }
        // 11–13 arc detectors on brightness, thresholded at 0.8 of the response to their own (bright or dark) arc
        float[] ba = new float[A];
        double[] arcs = {0, 135, 270};
        for (int k = 0; k < arcs.length; k++) {
            float[] tpl = arcDetector(arcs[k]);
            double own = 0;
            float[] img = arcImage(arcs[k], 5.2);
            for (int p = 0; p < kk; p++) {
                own += tpl[p] * img[p];
            }
            float sign = k == 1 ? -1 : 1;
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < kk; p++) {
                    wa[((11 + k) * 3 + c) * kk + p] = sign * tpl[p] / 3;
                }
            }
            ba[11 + k] = (float) (-0.8 * own);
        }
        float[] pool = plane(KB, (x, y) -> Math.hypot(x, y) <= 6 ? 0.2 : 0);
        List<float[][]> b = new ArrayList<>();
        b.add(on(11, pool));
        b.add(on(12, pool));
        b.add(on(13, pool));
        b.add(on(0, line(30, 7)));
        b.add(on(0, scale(sides(120, 8), -0.3)));
        b.add(on(0, gabor(KB, 60, PERIOD, 4, 0)));
        float[] gpool = gaussian(KB, 3);
        b.add(on(new int[] {7, 8, 9, 10}, new float[][] {gpool, gpool, gpool, gpool}));
        float[] hl = halves(0, 10);
        b.add(on(new int[] {5, 6}, new float[][] {hl, hl}));
        float[] red = sides(45, 8);
        b.add(on(new int[] {1, 2}, new float[][] {red, scale(red, -1)}));
        b.add(on(0, dog(1.5, 4)));
        float[] blue = dog(1.5, 4);
        b.add(on(new int[] {3, 4}, new float[][] {blue, scale(blue, -1)}));
        float[] edge = scale(sides(300, 9), -0.3);
        float[] tex = scale(halves(300, 10), 1);
        float[] col = scale(sides(300, 9), 0.1);
        b.add(on(new int[] {0, 5, 6, 1, 2}, new float[][] {edge, tex, tex, col, scale(col, -1)}));
        b.add(on(0, plane(KB, (x, y) -> Math.hypot(x, y) <= 10 ? 0.01 : 0)));
        b.add(new float[A][KB * KB]);
        int silent = b.size() - 1;
        b.add(on(0, curve(0)));
        java.util.Random random = new java.util.Random(17);
        float[][] noise = new float[A][KB * KB];
        for (float[] plane : noise) {
            for (int p = 0; p < plane.length; p++) {
                plane[p] = (float) (random.nextGaussian() * 0.02);
            }
        }
        b.add(noise);
        int nb = b.size();
        float[] wb = new float[nb * A * KB * KB];
        float[] bb = new float[nb];
        for (int o = 0; o < nb; o++) {
            for (int i = 0; i < A; i++) {
                System.arraycopy(b.get(o)[i], 0, wb, (o * A + i) * KB * KB, KB * KB);
            }
        }
        bb[silent] = -1;
        byte[] bytes = new OnnxWriter("planted-families").input("x", new long[] {1, 3, SIZE, SIZE}, "N")
                .initializer("wa", new long[] {A, 3, KA, KA}, wa).initializer("ba", new long[] {A}, ba)
                .conv("x", "a", "wa", "ba", new long[] {KA, KA}, new long[] {1, 1},
                        new long[] {KA / 2, KA / 2, KA / 2, KA / 2})
                .relu("a", "a_relu")
                .initializer("wb", new long[] {nb, A, KB, KB}, wb).initializer("bb", new long[] {nb}, bb)
                .conv("a_relu", "families", "wb", "bb", new long[] {KB, KB}, new long[] {1, 1},
                        new long[] {KB / 2, KB / 2, KB / 2, KB / 2})
                .relu("families", LAYER).output(LAYER, new long[] {1, nb, SIZE, SIZE}, "N").toBytes();
        return Model.fromOnnx(bytes, "planted-families", InputSpec.rgb01(SIZE));
    }

    /**
     * An early arc detector on a KA×KA kernel: along the arc facing {@code deg} (radius 5.2, span 90°) a bright
     * stroke between two dark flanks 1.8 pixels either side (each 0.8 of the stroke's weight, so a uniform field or
     * an edge gives little and a straight line leaves the stroke for a flank towards the arc's ends), its mean over the
     * kernel's disc removed (a uniform field of any brightness gives zero, so both polarities work alike), less 0.4 ×
     * the same for the opposite arc.
     */
    static float[] arcDetector(double deg) {
        float[] a = lobes(deg);
        float[] o = lobes(deg + 180);
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] - 0.4f * o[i];
        }
        return out;
    }

    private static float[] lobes(double deg) {
        double r = 5.2;
        double t = Math.toRadians(deg);
        double cx = -r * Math.cos(t);
        double cy = -r * Math.sin(t);
        return zeroMean(plane(KA, (x, y) -> {
            double d = Math.hypot(x - cx, y - cy) - r;
            double off = Math.abs(Math.IEEEremainder(Math.atan2(y - cy, x - cx) - t, 2 * Math.PI));
            double s = 2 * 0.7 * 0.7;
            return off <= Math.toRadians(45) ? Math.exp(-d * d / s) - 0.8 * Math.exp(-(d - 1.8) * (d - 1.8) / s)
                    - 0.8 * Math.exp(-(d + 1.8) * (d + 1.8) / s) : 0;
        }), KA, KA / 2);
    }

    /** A bright arc of radius r, span 90°, stroke 1.5 pixels, as the battery draws it, on a KA×KA kernel plane. */
    static float[] arcImage(double deg, double r) {
        double t = Math.toRadians(deg);
        double cx = -r * Math.cos(t);
        double cy = -r * Math.sin(t);
        return plane(KA, (x, y) -> {
            double d = Math.abs(Math.hypot(x - cx, y - cy) - r);
            double off = Math.abs(Math.IEEEremainder(Math.atan2(y - cy, x - cx) - t, 2 * Math.PI));
            return off <= Math.toRadians(45) && d <= 0.75 ? 1 : 0;
        });
    }

    private static float[][] on(int channel, float[] plane) {
        return on(new int[] {channel}, new float[][] {plane});
    }

    private static float[][] on(int[] channels, float[][] planes) {
        float[][] w = new float[A][KB * KB];
        for (int k = 0; k < channels.length; k++) {
            w[channels[k]] = planes[k];
        }
        return w;
    }
}
