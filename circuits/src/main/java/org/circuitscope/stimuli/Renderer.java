package org.circuitscope.stimuli;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.Map;

/**
 * Draws stimuli analytically: each pixel's value comes from the distance of its centre to the shape, with a
 * one-pixel linear ramp at the edge for antialiasing. Coordinates are relative to the stimulus centre, x to the
 * right and y up, so angles run counter-clockwise.
 */
final class Renderer {
    private Renderer() {
    }

    static BufferedImage render(StimulusSet.Kind kind, Map<String, Double> p, Color fg, Color bg,
                                StimulusSet.Background background, double noise, long seed, int h, int w,
                                double cx, double cy) {
        float[] f = rgb(fg);
        float[] b = rgb(bg);
        // a spot has no orientation
        double theta = Math.toRadians(p.getOrDefault("orientation", 0.0));
        double cos = Math.cos(theta);
        double sin = Math.sin(theta);
        int[] out = new int[h * w];
        for (int i = 0; i < h; i++) {
            double y = cy - (i + 0.5);
            for (int j = 0; j < w; j++) {
                double x = (j + 0.5) - cx;
                double cover;
                double[] base = {b[0], b[1], b[2]};
                if (background == StimulusSet.Background.NOISE && kind != StimulusSet.Kind.GRATING
                        && kind != StimulusSet.Kind.BOUNDARY) {
                    double n = (hash(j, i, seed) - 0.5) * noise;
                    for (int c = 0; c < 3; c++) {
                        base[c] = base[c] + n;
                    }
                }
                switch (kind) {
                    case CURVE -> cover = coverage(arcDistance(x, y, cos, sin, p.get("radius"),
                            Math.toRadians(p.get("span"))), p.get("thickness"));
                    case LINE -> {
                        double half = p.get("length") / 2;
                        cover = coverage(segmentDistance(x, y, -half * cos, -half * sin, half * cos, half * sin),
                                p.get("thickness"));
                    }
                    case SPOT -> cover = clamp(p.get("radius") - Math.hypot(x, y) + 0.5);
                    case EDGE -> cover = clamp(0.5 + x * cos + y * sin);
                    case ANGLE -> {
                        double half = Math.toRadians(p.get("opening")) / 2;
                        double len = p.get("length");
                        double d1 = segmentDistance(x, y, 0, 0, len * Math.cos(theta + half),
                                len * Math.sin(theta + half));
                        double d2 = segmentDistance(x, y, 0, 0, len * Math.cos(theta - half),
                                len * Math.sin(theta - half));
                        cover = coverage(Math.min(d1, d2), p.get("thickness"));
                    }
                    case GRATING -> {
                        double s = x * cos + y * sin;
                        cover = 0.5 - 0.5 * Math.cos(2 * Math.PI * p.get("frequency") / w * s
                                + Math.toRadians(p.get("phase")));
                    }
                    case BOUNDARY -> {
                        double a = clamp(0.5 + x * cos + y * sin);
                        double fine = valueNoise(j + 0.5, i + 0.5, w / p.get("high"), seed);
                        double coarse = valueNoise(j + 0.5, i + 0.5, w / p.get("low"), seed + 7919);
                        cover = a * fine + (1 - a) * coarse;
                    }
                    default -> throw new IllegalStateException(kind.toString());
                }
                int rgb = 0;
                for (int c = 0; c < 3; c++) {
                    double v = base[c] * (1 - cover) + f[c] * cover;
                    int byteV = (int) Math.round(Math.max(0, Math.min(1, v)) * 255);
                    rgb = (rgb << 8) | byteV;
                }
                out[i * w + j] = rgb;
            }
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, w, h, out, 0, w);
        return img;
    }

    private static float[] rgb(Color c) {
        return new float[] {c.getRed() / 255f, c.getGreen() / 255f, c.getBlue() / 255f};
    }

    private static double clamp(double v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }

    /** How much of a pixel a stroke of {@code thickness} covers at {@code distance} from its centre line. */
    static double coverage(double distance, double thickness) {
        return clamp(thickness / 2 - distance + 0.5);
    }

    /**
     * Distance to an arc of radius r whose middle is at the origin and whose outer side faces direction (cos, sin):
     * the circle's centre is r behind the origin; the arc covers {@code span} radians around that direction.
     */
    static double arcDistance(double x, double y, double cos, double sin, double r, double span) {
        double ox = -r * cos;
        double oy = -r * sin;
        double vx = x - ox;
        double vy = y - oy;
        // angle of v relative to the facing direction, by rotating v by -theta
        double rx = vx * cos + vy * sin;
        double ry = -vx * sin + vy * cos;
        double delta = Math.atan2(ry, rx);
        if (Math.abs(delta) <= span / 2) {
            return Math.abs(Math.hypot(vx, vy) - r);
        }
        double e1x = ox + r * (cos * Math.cos(span / 2) - sin * Math.sin(span / 2));
        double e1y = oy + r * (sin * Math.cos(span / 2) + cos * Math.sin(span / 2));
        double e2x = ox + r * (cos * Math.cos(span / 2) + sin * Math.sin(span / 2));
        double e2y = oy + r * (sin * Math.cos(span / 2) - cos * Math.sin(span / 2));
        return Math.min(Math.hypot(x - e1x, y - e1y), Math.hypot(x - e2x, y - e2y));
    }

    static double segmentDistance(double x, double y, double ax, double ay, double bx, double by) {
        double dx = bx - ax;
        double dy = by - ay;
        double len2 = dx * dx + dy * dy;
        double t = len2 == 0 ? 0 : ((x - ax) * dx + (y - ay) * dy) / len2;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
    }

    /** A number in [0, 1) fixed by (x, y, seed). */
    static double hash(long x, long y, long seed) {
        long h = seed * 0x9E3779B97F4A7C15L + x * 0xC2B2AE3D27D4EB4FL + y * 0x165667B19E3779F9L;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return (h >>> 11) * 0x1.0p-53;
    }

    /** Smooth random texture with features about {@code spacing} pixels apart. */
    static double valueNoise(double x, double y, double spacing, long seed) {
        double gx = x / spacing;
        double gy = y / spacing;
        long ix = (long) Math.floor(gx);
        long iy = (long) Math.floor(gy);
        double fx = smooth(gx - ix);
        double fy = smooth(gy - iy);
        double a = hash(ix, iy, seed);
        double b = hash(ix + 1, iy, seed);
        double c = hash(ix, iy + 1, seed);
        double d = hash(ix + 1, iy + 1, seed);
        return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
    }

    private static double smooth(double t) {
        return t * t * (3 - 2 * t);
    }

    /** Coloured multi-octave value noise (see {@link Stimuli#textures}). */
    static BufferedImage texture(int size, long seed) {
        int[] out = new int[size * size];
        double[][] acc = new double[3][size * size];
        double total = 0;
        for (double spacing = 2; spacing <= size; spacing *= 2) {
            total += spacing;
        }
        for (int c = 0; c < 3; c++) {
            for (double spacing = 2; spacing <= size; spacing *= 2) {
                // a shared luminance part and a smaller per-channel part, as colours in photographs are correlated
                long sh = seed * 31 + (long) spacing;
                long own = sh * 7 + c + 1;
                for (int i = 0; i < size; i++) {
                    for (int j = 0; j < size; j++) {
                        double v = 0.75 * valueNoise(j + 0.5, i + 0.5, spacing, sh)
                                + 0.25 * valueNoise(j + 0.5, i + 0.5, spacing, own);
                        acc[c][i * size + j] += spacing / total * (v - 0.5);
                    }
                }
            }
        }
        for (int p = 0; p < size * size; p++) {
            int rgb = 0;
            for (int c = 0; c < 3; c++) {
                // about ±3 standard deviations of the sum fill [0, 1]
                double v = 0.5 + 1.6 * acc[c][p];
                rgb = (rgb << 8) | (int) Math.round(Math.max(0, Math.min(1, v)) * 255);
            }
            out[p] = rgb;
        }
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, size, size, out, 0, size);
        return img;
    }
}
