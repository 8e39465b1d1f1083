package org.circuitscope.display;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jfree.svg.SVGGraphics2D;

/**
 * A drawing written once as Graphics2D calls and rendered from that same code to a PNG image ({@link #image()}) or,
 * through JFreeSVG's {@code SVGGraphics2D}, to SVG text ({@link #svg()}), so the two can never disagree.
 * <p>In a notebook it shows as its PNG (with its description as plain text). The SVG is there for vector export but
 * is deliberately not part of the display bundle: nbconvert's HTML export passes inline SVG through lxml's cleaner,
 * which strips the attributes that place and colour its shapes, and prefers SVG over PNG when both are present, so a
 * bundle with SVG renders as an empty area in every exported notebook. A notebook opened "Not Trusted" ignores SVG
 * too. A PNG looks the same in the live notebook, untrusted, and in the HTML export.
 */
public final class Figure implements Displayable {

    /** Draws the figure on a white canvas of the figure's size. */
    @FunctionalInterface
    public interface Painter {
        void paint(Graphics2D g);
    }

    private final String description;
    private final int width;
    private final int height;
    private final Painter painter;

    private Figure(String description, int width, int height, Painter painter) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("a figure needs a positive size, not " + width + "×" + height);
        }
        this.description = description;
        this.width = width;
        this.height = height;
        this.painter = painter;
    }

    public static Figure of(String description, int width, int height, Painter painter) {
        return new Figure(description, width, height, painter);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public String description() {
        return description;
    }

    public BufferedImage image() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            paint(g);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** The PNG as a {@code data:image/png;base64,...} URI, for an {@code <img>} inside a result's HTML. */
    public String pngDataUri() {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            javax.imageio.ImageIO.write(image(), "png", out);
            return "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(out.toByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public String svg() {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        try {
            paint(g);
            return g.getSVGElement();
        } finally {
            g.dispose();
        }
    }

    private void paint(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        painter.paint(g);
    }

    @Override
    public Map<String, Object> representations() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text/plain", description);
        m.put("image/png", image());
        return m;
    }

    @Override
    public String toString() {
        return description;
    }
}
