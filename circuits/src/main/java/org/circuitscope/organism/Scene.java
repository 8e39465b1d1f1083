package org.circuitscope.organism;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.circuitscope.data.Sample;

/**
 * One scene of the {@link World}: a background, a few stray parts (distractors) and one object made of named parts.
 * A scene is a description; {@link #render()} draws it, always to the same pixels. Variants for ablation studies are
 * new scenes: {@link #without}, {@link #only}, {@link #moved}, {@link #withoutDistractors}, {@link #onFlatBackground}.
 */
public final class Scene {

    /** One drawing step: a shape in part coordinates, filled ({@code stroke == 0}) or outlined with that width. */
    record Prim(Shape shape, Color color, float stroke) {
        Shape outline() {
            return stroke > 0 ? new BasicStroke(stroke, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND)
                    .createStrokedShape(shape) : shape;
        }
    }

    /** A named part: drawing steps and the transform from part coordinates to pixels. */
    record Part(String name, List<Prim> prims, AffineTransform transform) {
        Part {
            prims = List.copyOf(prims);
            transform = new AffineTransform(transform);
        }

        Rectangle2D bounds() {
            Rectangle2D r = null;
            for (Prim p : prims) {
                Rectangle2D b = transform.createTransformedShape(p.outline()).getBounds2D();
                if (r == null) {
                    r = b;
                } else {
                    r.add(b);
                }
            }
            return r == null ? new Rectangle2D.Double() : r;
        }

        Part translated(double dx, double dy) {
            AffineTransform t = AffineTransform.getTranslateInstance(dx, dy);
            t.concatenate(transform);
            return new Part(name, prims, t);
        }
    }

    private final long seed;
    private final long index;
    private final String label;
    private final String variant;
    private final int size;
    private final int[] background;
    private final List<Part> distractors;
    private final List<Part> parts;

    Scene(long seed, long index, String label, String variant, int size, int[] background, List<Part> distractors,
            List<Part> parts) {
        this.seed = seed;
        this.index = index;
        this.label = label;
        this.variant = variant;
        this.size = size;
        this.background = background;
        this.distractors = List.copyOf(distractors);
        this.parts = List.copyOf(parts);
    }

    /** The world seed this scene was drawn from. */
    public long seed() {
        return seed;
    }

    /** The scene's index in its world. */
    public long index() {
        return index;
    }

    /** The class name of the object (one of {@link World#CLASSES}). */
    public String label() {
        return label;
    }

    /** {@code scene-<index>}, followed by the ablations made, e.g. {@code scene-12/without:wheel}. */
    public String id() {
        return "scene-" + index + variant;
    }

    /** Width and height in pixels. */
    public int size() {
        return size;
    }

    /** The object's parts, one box per drawn instance, in drawing order. */
    public List<PartBox> parts() {
        return boxes(parts);
    }

    /** The stray parts drawn behind the object, named by the part they copy (e.g. "wheel"). */
    public List<PartBox> distractors() {
        return boxes(distractors);
    }

    /** The distinct part names of the object, in drawing order. */
    public List<String> partNames() {
        Set<String> names = new LinkedHashSet<>();
        for (Part p : parts) {
            names.add(p.name());
        }
        return List.copyOf(names);
    }

    /** The union of the boxes of all parts with this name, or null when the object has none. */
    public PartBox box(String partName) {
        return union(partName, parts().stream().filter(b -> b.name().equals(partName)).toList());
    }

    /** The union of the boxes of all the object's parts, named "object". */
    public PartBox objectBox() {
        return union("object", parts());
    }

    private static PartBox union(String name, List<PartBox> boxes) {
        int x0 = Integer.MAX_VALUE;
        int y0 = Integer.MAX_VALUE;
        int x1 = Integer.MIN_VALUE;
        int y1 = Integer.MIN_VALUE;
        for (PartBox b : boxes) {
            x0 = Math.min(x0, b.x());
            y0 = Math.min(y0, b.y());
            x1 = Math.max(x1, b.x() + b.width());
            y1 = Math.max(y1, b.y() + b.height());
        }
        return x0 == Integer.MAX_VALUE ? null : new PartBox(name, x0, y0, x1 - x0, y1 - y0);
    }

    /** The same scene with every object part of these names left out (what was behind shows through). */
    public Scene without(String... partNames) {
        Set<String> drop = names(partNames);
        List<Part> kept = new ArrayList<>();
        for (Part p : parts) {
            if (!drop.contains(p.name())) {
                kept.add(p);
            }
        }
        return new Scene(seed, index, label, variant + "/without:" + String.join(",", drop), size, background,
                distractors, kept);
    }

    /** Only the object parts of these names, on the same background, without distractors (e.g. wheels alone). */
    public Scene only(String... partNames) {
        Set<String> keep = names(partNames);
        List<Part> kept = new ArrayList<>();
        for (Part p : parts) {
            if (keep.contains(p.name())) {
                kept.add(p);
            }
        }
        return new Scene(seed, index, label, variant + "/only:" + String.join(",", keep), size, background,
                List.of(), kept);
    }

    /** The same scene with the parts of this name shifted by (dx, dy) pixels; they stay on top as before. */
    public Scene moved(String partName, double dx, double dy) {
        requireKnown(partName);
        List<Part> out = new ArrayList<>();
        for (Part p : parts) {
            out.add(p.name().equals(partName) ? p.translated(dx, dy) : p);
        }
        return new Scene(seed, index, label, variant + "/moved:" + partName + "(" + dx + "," + dy + ")", size,
                background, distractors, out);
    }

    /** The same scene without stray parts. */
    public Scene withoutDistractors() {
        return new Scene(seed, index, label, variant + "/no-distractors", size, background, List.of(), parts);
    }

    /** The same scene on a flat background of this colour. */
    public Scene onFlatBackground(Color color) {
        int[] bg = new int[size * size];
        Arrays.fill(bg, color.getRGB() & 0xffffff);
        return new Scene(seed, index, label, variant + "/flat:" + String.format("%06x", color.getRGB() & 0xffffff),
                size, bg, distractors, parts);
    }

    /** Draws the scene: background, then distractors, then the object's parts in order (antialiased). */
    public BufferedImage render() {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, size, size, background, 0, size);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            for (Part p : distractors) {
                draw(g, p);
            }
            for (Part p : parts) {
                draw(g, p);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /** The rendered scene as a labelled sample. */
    public Sample sample() {
        return new Sample(id(), label, render());
    }

    @Override
    public String toString() {
        return id() + " " + label + " parts=" + parts() + " distractors=" + distractors();
    }

    private static void draw(Graphics2D g, Part p) {
        AffineTransform saved = g.getTransform();
        g.transform(p.transform());
        for (Prim prim : p.prims()) {
            g.setColor(prim.color());
            if (prim.stroke() > 0) {
                g.setStroke(new BasicStroke(prim.stroke(), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                g.draw(prim.shape());
            } else {
                g.fill(prim.shape());
            }
        }
        g.setTransform(saved);
    }

    private List<PartBox> boxes(List<Part> list) {
        List<PartBox> out = new ArrayList<>(list.size());
        for (Part p : list) {
            Rectangle2D b = p.bounds();
            // one pixel of margin for antialiasing, clipped to the image
            int x0 = Math.max(0, (int) Math.floor(b.getMinX()) - 1);
            int y0 = Math.max(0, (int) Math.floor(b.getMinY()) - 1);
            int x1 = Math.min(size, (int) Math.ceil(b.getMaxX()) + 1);
            int y1 = Math.min(size, (int) Math.ceil(b.getMaxY()) + 1);
            out.add(new PartBox(p.name(), x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0)));
        }
        return out;
    }

    private Set<String> names(String... partNames) {
        Set<String> set = new LinkedHashSet<>();
        for (String n : partNames) {
            requireKnown(n);
            set.add(n);
        }
        return set;
    }

    private void requireKnown(String name) {
        Objects.requireNonNull(name, "part name");
        if (!partNames().contains(name)) {
            throw new IllegalArgumentException("a " + label + " has no part '" + name + "'; its parts are "
                    + partNames());
        }
    }
}
