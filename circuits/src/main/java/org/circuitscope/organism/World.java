package org.circuitscope.organism;

import java.awt.Color;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.circuitscope.data.GeneratedSource;
import org.circuitscope.data.ImageSource;
import org.circuitscope.data.Sample;

/**
 * The model organism's world: small RGB scenes, each holding one object of eight classes built from shared parts
 * (after "Zoom In", Olah et al. 2020), on a flat, smooth or finely textured background, with stray parts as
 * distractors.
 *
 * <ul>
 * <li>car: body, window (two, above), wheel (two, below)</li>
 * <li>bicycle: wheel (two, the car's wheel), frame, seat, handlebar</li>
 * <li>dog_left, dog_right: a dog's head facing left or right: head, ear, snout, eye, nose (the same parts
 * mirrored)</li>
 * <li>clock: face, rim, ticks, hands</li>
 * <li>house: walls, roof, door, window (two, the car's window)</li>
 * <li>tree: trunk, crown</li>
 * <li>fish: tail, body, fin, eye (the dog's eye); faces either way</li>
 * </ul>
 *
 * Every scene is a pure function of (seed, index): its random numbers come from a {@link SplittableRandom} seeded
 * from both, so the same seed gives the same pixels, bit for bit, in any order and on any thread. Objects are placed
 * at a random position, scale (about 22 to 44 pixels across), rotation (up to 20 degrees) and colour, always wholly
 * inside the image and in colours that stand out from the background.
 */
public final class World {

    /** Scene width and height in pixels. */
    public static final int SIZE = 64;

    /** The class names, in the fixed order of the model's outputs. */
    public static final List<String> CLASSES = List.of("car", "bicycle", "dog_left", "dog_right", "clock", "house",
            "tree", "fish");

    /** The kinds of stray part drawn as distractors. */
    public static final List<String> DISTRACTORS = List.of("wheel", "window", "eye", "stick", "triangle", "ring");

    private static final double MAX_ROTATION = Math.toRadians(20);
    private static final double MIN_CONTRAST = 90;

    private World() {
    }

    /** The scene at {@code index} of the world with this seed. */
    public static Scene scene(long seed, long index) {
        SplittableRandom r = random(seed, index);
        String label = CLASSES.get(r.nextInt(CLASSES.size()));
        return build(seed, index, label, r);
    }

    /** The scene at {@code index} of the world with this seed, with its object forced to the given class. */
    public static Scene scene(long seed, long index, String label) {
        requireClass(label);
        SplittableRandom r = random(seed, index);
        r.nextInt(CLASSES.size()); // keep every later draw as in scene(seed, index)
        return build(seed, index, label, r);
    }

    /**
     * The part types the world plants in its objects: every class's part names, in class order, each once (22:
     * body, window, wheel, frame, ...; parts shared by classes, such as the car's and the bicycle's wheel, are one
     * type). Read from the objects as drawn, so it is the same list the scenes' {@link Scene#parts()} name.
     */
    public static List<String> parts() {
        return PartTypes.ALL;
    }

    private static final class PartTypes {
        static final List<String> ALL;

        static {
            java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
            for (String c : CLASSES) {
                names.addAll(scene(0, 0, c).partNames());
            }
            ALL = List.copyOf(names);
        }
    }

    static void requireClass(String label) {
        if (!CLASSES.contains(label)) {
            throw new IllegalArgumentException("unknown class '" + label + "'; the classes are " + CLASSES);
        }
    }

    /**
     * The first {@code count} scenes of the world with this seed as an image source: lazy (each scene is drawn when
     * reached), deterministic, ids {@code scene-<index>}, labels the class names.
     */
    public static ImageSource scenes(long seed, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        return new GeneratedSource("organism world (seed " + seed + ", " + count + " scenes)", count,
                i -> scene(seed, i).sample(), CLASSES);
    }

    /**
     * Scenes {@code 0..perClass-1} of each of these classes, each changed by {@code edit} (for example
     * {@code s -> s.only("wheel")}), as a lazy image source named {@code name}; ids name the scene and the edit.
     */
    public static ImageSource scenes(String name, long seed, int perClass, List<String> classes,
                                     UnaryOperator<Scene> edit) {
        classes.forEach(World::requireClass);
        return new GeneratedSource(name, perClass * classes.size(),
                i -> edit.apply(scene(seed, i / classes.size(), classes.get(i % classes.size()))).sample(), CLASSES);
    }

    /**
     * Writes an image as RGB in [0, 1], channel-major (3×H×W), into {@code dst} from {@code offset}: the model's
     * input layout.
     */
    public static void toChw(BufferedImage img, float[] dst, int offset) {
        int w = img.getWidth();
        int h = img.getHeight();
        int plane = w * h;
        int[] rgb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < plane; i++) {
            int p = rgb[i];
            dst[offset + i] = ((p >> 16) & 0xff) / 255f;
            dst[offset + plane + i] = ((p >> 8) & 0xff) / 255f;
            dst[offset + 2 * plane + i] = (p & 0xff) / 255f;
        }
    }

    static SplittableRandom random(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xC2B2AE3D27D4EB4FL + 0x165667B19E3779F9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return new SplittableRandom(z ^ (z >>> 31));
    }

    // ------------------------------------------------------------------------------------------------ the scene

    private static Scene build(long seed, long index, String label, SplittableRandom r) {
        Color[] bg = backgroundColours(r);
        int[] background = background(r, bg);
        Color main = contrasting(r, bg, 0, 1, 0.35, 1, 0.35, 1);

        List<Scene.Part> object = parts(label, r, bg, main);
        double scale = 11 + r.nextDouble() * 11; // half the object's extent, in pixels
        double angle = (r.nextDouble() * 2 - 1) * MAX_ROTATION;
        boolean flip = label.equals("dog_right") || (label.equals("fish") && r.nextBoolean());
        AffineTransform pose = AffineTransform.getRotateInstance(angle);
        pose.scale(flip ? -scale : scale, scale);
        List<Scene.Part> placed = place(r, object, pose);

        int strays = r.nextInt(3);
        List<Scene.Part> distractors = new ArrayList<>();
        for (int i = 0; i < strays; i++) {
            String kind = DISTRACTORS.get(r.nextInt(DISTRACTORS.size()));
            Scene.Part part = stray(kind, r, bg);
            double s = 2.5 + r.nextDouble() * 4;
            AffineTransform t = AffineTransform.getRotateInstance(r.nextDouble() * 2 * Math.PI);
            t.scale(s, s);
            distractors.addAll(place(r, List.of(part), t));
        }
        return new Scene(seed, index, label, "", SIZE, background, distractors, placed);
    }

    /** Poses the parts (given in object units) and moves them to a random spot wholly inside the image. */
    private static List<Scene.Part> place(SplittableRandom r, List<Scene.Part> parts, AffineTransform pose) {
        List<Scene.Part> posed = new ArrayList<>();
        Rectangle2D all = null;
        for (Scene.Part p : parts) {
            AffineTransform t = new AffineTransform(pose);
            t.concatenate(p.transform());
            Scene.Part q = new Scene.Part(p.name(), p.prims(), t);
            posed.add(q);
            if (all == null) {
                all = q.bounds();
            } else {
                all.add(q.bounds());
            }
        }
        double margin = 2;
        double lowX = margin - all.getMinX();
        double highX = SIZE - margin - all.getMaxX();
        double lowY = margin - all.getMinY();
        double highY = SIZE - margin - all.getMaxY();
        double dx = highX > lowX ? lowX + r.nextDouble() * (highX - lowX) : (lowX + highX) / 2;
        double dy = highY > lowY ? lowY + r.nextDouble() * (highY - lowY) : (lowY + highY) / 2;
        List<Scene.Part> out = new ArrayList<>();
        for (Scene.Part p : posed) {
            out.add(p.translated(dx, dy));
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------- backgrounds

    private static Color[] backgroundColours(SplittableRandom r) {
        Color c1 = hsb(r, 0, 1, 0, 0.8, 0.15, 1);
        Color c2 = hsb(r, 0, 1, 0, 0.8, 0.15, 1);
        return new Color[] {c1, c2};
    }

    /** Flat (a third of scenes), smooth low-frequency blend, or fine texture (stripes, checks or noise). */
    private static int[] background(SplittableRandom r, Color[] c) {
        int kind = r.nextInt(3);
        int[] px = new int[SIZE * SIZE];
        if (kind == 0) {
            c[1] = c[0];
            java.util.Arrays.fill(px, c[0].getRGB() & 0xffffff);
            return px;
        }
        double[] mix = new double[SIZE * SIZE];
        if (kind == 1) {
            int waves = 2 + r.nextInt(2);
            double[][] w = new double[waves][];
            for (int k = 0; k < waves; k++) {
                double f = 2 * Math.PI * (0.4 + r.nextDouble() * 1.6) / SIZE;
                double a = r.nextDouble() * 2 * Math.PI;
                w[k] = new double[] {f * Math.cos(a), f * Math.sin(a), r.nextDouble() * 2 * Math.PI};
            }
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    double v = 0;
                    for (double[] wk : w) {
                        v += Math.sin(wk[0] * x + wk[1] * y + wk[2]);
                    }
                    mix[y * SIZE + x] = 0.5 + 0.5 * v / waves;
                }
            }
        } else {
            int texture = r.nextInt(3);
            if (texture == 0) { // stripes
                double period = 3 + r.nextDouble() * 4;
                double a = r.nextDouble() * Math.PI;
                double fx = Math.cos(a) * 2 * Math.PI / period;
                double fy = Math.sin(a) * 2 * Math.PI / period;
                for (int y = 0; y < SIZE; y++) {
                    for (int x = 0; x < SIZE; x++) {
                        mix[y * SIZE + x] = 0.5 + 0.5 * Math.sin(fx * x + fy * y);
                    }
                }
            } else if (texture == 1) { // checks
                int cell = 2 + r.nextInt(3);
                for (int y = 0; y < SIZE; y++) {
                    for (int x = 0; x < SIZE; x++) {
                        mix[y * SIZE + x] = ((x / cell + y / cell) & 1);
                    }
                }
            } else { // noise
                for (int i = 0; i < mix.length; i++) {
                    mix[i] = r.nextDouble();
                }
            }
        }
        for (int i = 0; i < px.length; i++) {
            px[i] = lerp(c[0], c[1], mix[i]);
        }
        return px;
    }

    private static int lerp(Color a, Color b, double t) {
        int red = (int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * t);
        int green = (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t);
        int blue = (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t);
        return (red << 16) | (green << 8) | blue;
    }

    // -------------------------------------------------------------------------------------------------- colours

    private static Color hsb(SplittableRandom r, double h0, double h1, double s0, double s1, double b0, double b1) {
        float h = (float) (h0 + r.nextDouble() * (h1 - h0));
        float s = (float) (s0 + r.nextDouble() * (s1 - s0));
        float b = (float) (b0 + r.nextDouble() * (b1 - b0));
        return Color.getHSBColor(h - (float) Math.floor(h), s, b);
    }

    /** A colour in the given HSB ranges that stands out from both background colours (tries a few times). */
    private static Color contrasting(SplittableRandom r, Color[] bg, double h0, double h1, double s0, double s1,
            double b0, double b1) {
        Color best = null;
        double bestD = -1;
        for (int i = 0; i < 40; i++) {
            Color c = hsb(r, h0, h1, s0, s1, b0, b1);
            double d = Math.min(distance(c, bg[0]), distance(c, bg[1]));
            if (d >= MIN_CONTRAST) {
                return c;
            }
            if (d > bestD) {
                bestD = d;
                best = c;
            }
        }
        return best;
    }

    private static double distance(Color a, Color b) {
        double dr = a.getRed() - b.getRed();
        double dg = a.getGreen() - b.getGreen();
        double db = a.getBlue() - b.getBlue();
        return Math.sqrt(0.3 * dr * dr + 0.59 * dg * dg + 0.11 * db * db) * 1.7;
    }

    private static Color shade(Color c, double f) {
        return new Color(clamp(c.getRed() * f), clamp(c.getGreen() * f), clamp(c.getBlue() * f));
    }

    private static Color tint(Color c, double f) {
        return new Color(clamp(c.getRed() + (255 - c.getRed()) * f), clamp(c.getGreen() + (255 - c.getGreen()) * f),
                clamp(c.getBlue() + (255 - c.getBlue()) * f));
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    private static Color gray(SplittableRandom r, int lo, int hi) {
        int v = lo + r.nextInt(hi - lo + 1);
        return new Color(v, v, v);
    }

    private static Color glass(SplittableRandom r) {
        return new Color(150 + r.nextInt(50), 195 + r.nextInt(40), 225 + r.nextInt(31));
    }

    // -------------------------------------------------------------------------------------------------- objects

    private static double vary(SplittableRandom r, double base, double spread) {
        return base + (r.nextDouble() * 2 - 1) * spread;
    }

    private static List<Scene.Part> parts(String label, SplittableRandom r, Color[] bg, Color main) {
        List<Scene.Part> out = new ArrayList<>();
        switch (label) {
            case "car" -> car(r, main, out);
            case "bicycle" -> bicycle(r, main, out);
            case "dog_left", "dog_right" -> dog(r, bg, out);
            case "clock" -> clock(r, main, out);
            case "house" -> house(r, bg, main, out);
            case "tree" -> tree(r, bg, out);
            case "fish" -> fish(r, main, out);
            default -> throw new IllegalArgumentException(label);
        }
        return out;
    }

    private static void car(SplittableRandom r, Color body, List<Scene.Part> out) {
        double len = vary(r, 1.0, 0.08);
        double top = vary(r, -0.2, 0.05);
        double roof = vary(r, -0.62, 0.05);
        Path2D cabin = poly(-0.55 * len, top + 0.02, -0.36 * len, roof, 0.38 * len, roof, 0.6 * len, top + 0.02);
        out.add(part("body", prim(new RoundRectangle2D.Double(-len, top, 2 * len, 0.35 - top, 0.3, 0.3), body),
                prim(cabin, body)));
        Color glass = glass(r);
        Color frame = shade(body, 0.5);
        double wy0 = roof + 0.09;
        double wy1 = top - 0.03;
        out.add(window(-0.4 * len, wy0, -0.05 * len, wy1, glass, frame));
        out.add(window(0.03 * len, wy0, 0.44 * len, wy1, glass, frame));
        double rw = vary(r, 0.26, 0.03);
        Color tyre = gray(r, 15, 50);
        Color rim = gray(r, 150, 210);
        out.add(wheel(-0.58 * len, 0.38, rw, tyre, rim));
        out.add(wheel(0.58 * len, 0.38, rw, tyre, rim));
    }

    private static void bicycle(SplittableRandom r, Color frameColour, List<Scene.Part> out) {
        double rw = vary(r, 0.33, 0.03);
        double span = vary(r, 0.6, 0.05);
        Color tyre = gray(r, 15, 50);
        Color rim = gray(r, 150, 210);
        out.add(wheel(-span, 0.32, rw, tyre, rim));
        out.add(wheel(span, 0.32, rw, tyre, rim));
        double[] rear = {-span, 0.32};
        double[] bracket = {-0.05, 0.32};
        double[] seat = {-0.22, vary(r, -0.3, 0.04)};
        double[] head = {0.42, seat[1]};
        double[] front = {span, 0.32};
        float w = 0.07f;
        out.add(part("frame", prim(line(rear, bracket), frameColour, w), prim(line(rear, seat), frameColour, w),
                prim(line(seat, bracket), frameColour, w), prim(line(seat, head), frameColour, w),
                prim(line(head, bracket), frameColour, w), prim(line(head, front), frameColour, w)));
        Color dark = gray(r, 10, 60);
        out.add(part("seat", prim(new Line2D.Double(seat[0], seat[1], seat[0] - 0.02, seat[1] - 0.1), frameColour, w),
                prim(new Line2D.Double(seat[0] - 0.14, seat[1] - 0.12, seat[0] + 0.1, seat[1] - 0.12), dark, 0.1f)));
        out.add(part("handlebar", prim(new Line2D.Double(head[0], head[1], head[0] - 0.05, head[1] - 0.2), dark, w),
                prim(new Line2D.Double(head[0] - 0.05, head[1] - 0.2, head[0] + 0.12, head[1] - 0.22), dark, w)));
    }

    /** A dog's head facing left, in object units; facing right is the same head mirrored by the pose. */
    private static void dog(SplittableRandom r, Color[] bg, List<Scene.Part> out) {
        Color fur = contrasting(r, bg, 0.02, 0.13, 0.25, 0.85, 0.3, 0.95);
        double rx = vary(r, 0.5, 0.04);
        double ry = vary(r, 0.45, 0.04);
        out.add(part("head", prim(ellipse(0.15, -0.02, rx, ry), fur)));
        Shape ear = AffineTransform.getRotateInstance(Math.toRadians(vary(r, 18, 8)), 0.5, -0.3)
                .createTransformedShape(ellipse(0.5, -0.05, 0.16, 0.4));
        out.add(part("ear", prim(ear, shade(fur, 0.55))));
        out.add(part("snout", prim(ellipse(-0.4, 0.15, vary(r, 0.36, 0.03), 0.22), tint(fur, 0.35))));
        out.add(eye(-0.05, -0.14, 0.1));
        out.add(part("nose", prim(ellipse(-0.74, 0.08, 0.11, 0.09), gray(r, 0, 40))));
    }

    private static void clock(SplittableRandom r, Color rimColour, List<Scene.Part> out) {
        Color face = new Color(230 + r.nextInt(26), 225 + r.nextInt(31), 200 + r.nextInt(56));
        Color ink = gray(r, 0, 50);
        out.add(part("face", prim(ellipse(0, 0, 0.85, 0.85), face)));
        out.add(part("rim", prim(ellipse(0, 0, 0.85, 0.85), rimColour, 0.16f)));
        List<Scene.Prim> ticks = new ArrayList<>();
        for (int h = 0; h < 12; h++) {
            double a = h * Math.PI / 6;
            double r0 = h % 3 == 0 ? 0.52 : 0.6;
            ticks.add(prim(new Line2D.Double(r0 * Math.cos(a), r0 * Math.sin(a), 0.7 * Math.cos(a),
                    0.7 * Math.sin(a)), ink, h % 3 == 0 ? 0.09f : 0.05f));
        }
        out.add(new Scene.Part("ticks", ticks, new AffineTransform()));
        double hour = r.nextDouble() * 2 * Math.PI;
        double minute = r.nextDouble() * 2 * Math.PI;
        out.add(part("hands", prim(new Line2D.Double(0, 0, 0.4 * Math.sin(hour), -0.4 * Math.cos(hour)), ink, 0.11f),
                prim(new Line2D.Double(0, 0, 0.62 * Math.sin(minute), -0.62 * Math.cos(minute)), ink, 0.07f),
                prim(ellipse(0, 0, 0.08, 0.08), ink)));
    }

    private static void house(SplittableRandom r, Color[] bg, Color walls, List<Scene.Part> out) {
        Color roof = contrasting(r, bg, -0.05, 0.1, 0.4, 0.9, 0.25, 0.7);
        double half = vary(r, 0.7, 0.06);
        out.add(part("walls", prim(new Rectangle2D.Double(-half, -0.15, 2 * half, 1.0), walls)));
        double peak = vary(r, -0.85, 0.07);
        out.add(part("roof", prim(poly(-half - 0.2, -0.1, 0, peak, half + 0.2, -0.1), roof)));
        double dx = vary(r, 0, 0.08);
        out.add(part("door", prim(new Rectangle2D.Double(dx - 0.14, 0.37, 0.28, 0.48),
                new Color(60 + r.nextInt(50), 35 + r.nextInt(30), 15 + r.nextInt(25)))));
        Color glass = glass(r);
        Color frame = shade(walls, 0.45);
        out.add(window(-half + 0.12, 0.03, -half + 0.42, 0.3, glass, frame));
        out.add(window(half - 0.42, 0.03, half - 0.12, 0.3, glass, frame));
    }

    private static void tree(SplittableRandom r, Color[] bg, List<Scene.Part> out) {
        Color bark = new Color(90 + r.nextInt(50), 55 + r.nextInt(30), 20 + r.nextInt(25));
        Color leaves = contrasting(r, bg, 0.12, 0.42, 0.45, 1, 0.3, 0.9);
        double tw = vary(r, 0.11, 0.02);
        out.add(part("trunk", prim(new Rectangle2D.Double(-tw, 0.1, 2 * tw, 0.85), bark)));
        Area crown = new Area(ellipse(0, -0.3, 0.52, 0.5));
        double side = vary(r, 0.38, 0.05);
        crown.add(new Area(ellipse(-side, -0.05, 0.36, 0.34)));
        crown.add(new Area(ellipse(side, -0.05, 0.36, 0.34)));
        crown.add(new Area(ellipse(0, -0.68, 0.32, 0.3)));
        out.add(part("crown", prim(crown, leaves)));
    }

    private static void fish(SplittableRandom r, Color body, List<Scene.Part> out) {
        double ry = vary(r, 0.33, 0.05);
        out.add(part("tail", prim(poly(0.5, 0, 0.95, -vary(r, 0.38, 0.06), 0.95, vary(r, 0.38, 0.06)), body)));
        out.add(part("body", prim(ellipse(0, 0, 0.62, ry), body)));
        out.add(part("fin", prim(poly(-0.15, -ry + 0.05, 0.1, -ry - 0.25, 0.28, -ry + 0.07), shade(body, 0.6))));
        out.add(eye(-0.38, -0.07, 0.1));
    }

    // ----------------------------------------------------------------------------------------------- shared parts

    private static Scene.Part wheel(double cx, double cy, double radius, Color tyre, Color rim) {
        return part("wheel", prim(ellipse(cx, cy, radius, radius), tyre),
                prim(ellipse(cx, cy, 0.55 * radius, 0.55 * radius), rim),
                prim(ellipse(cx, cy, 0.18 * radius, 0.18 * radius), tyre));
    }

    private static Scene.Part window(double x0, double y0, double x1, double y1, Color glass, Color frame) {
        Rectangle2D pane = new Rectangle2D.Double(x0, y0, x1 - x0, y1 - y0);
        return part("window", prim(pane, glass), prim(pane, frame, 0.04f));
    }

    private static Scene.Part eye(double cx, double cy, double radius) {
        return part("eye", prim(ellipse(cx, cy, radius, radius), new Color(250, 250, 250)),
                prim(ellipse(cx - 0.15 * radius, cy, 0.6 * radius, 0.6 * radius), new Color(15, 15, 15)));
    }

    private static Scene.Part stray(String kind, SplittableRandom r, Color[] bg) {
        Color c = contrasting(r, bg, 0, 1, 0.2, 1, 0.2, 1);
        return switch (kind) {
            case "wheel" -> wheel(0, 0, 1, gray(r, 15, 50), gray(r, 150, 210));
            case "window" -> window(-1, -0.7, 1, 0.7, glass(r), shade(c, 0.5));
            case "eye" -> eye(0, 0, 0.7);
            case "stick" -> part("stick", prim(new Line2D.Double(-1, 0, 1, 0), c, 0.22f));
            case "triangle" -> part("triangle", prim(poly(-1, 0.6, 0, -0.8, 1, 0.6), c));
            case "ring" -> part("ring", prim(ellipse(0, 0, 0.9, 0.9), c, 0.2f));
            default -> throw new IllegalArgumentException(kind);
        };
    }

    // ------------------------------------------------------------------------------------------------- geometry

    private static Scene.Part part(String name, Scene.Prim... prims) {
        return new Scene.Part(name, List.of(prims), new AffineTransform());
    }

    private static Scene.Prim prim(Shape s, Color c) {
        return new Scene.Prim(s, c, 0);
    }

    private static Scene.Prim prim(Shape s, Color c, float stroke) {
        return new Scene.Prim(s, c, stroke);
    }

    private static Ellipse2D ellipse(double cx, double cy, double rx, double ry) {
        return new Ellipse2D.Double(cx - rx, cy - ry, 2 * rx, 2 * ry);
    }

    private static Line2D line(double[] a, double[] b) {
        return new Line2D.Double(a[0], a[1], b[0], b[1]);
    }

    private static Path2D poly(double... xy) {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(xy[0], xy[1]);
        for (int i = 2; i < xy.length; i += 2) {
            p.lineTo(xy[i], xy[i + 1]);
        }
        p.closePath();
        return p;
    }
}
