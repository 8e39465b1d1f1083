package org.circuitscope.organism;

/**
 * Where one drawn part of a scene lies: its name (parts of the same kind share a name, e.g. both wheels of a car are
 * "wheel") and the pixel box that holds every pixel it touches, antialiasing included. {@code x} and {@code y} are
 * the top-left pixel; the box covers columns {@code x .. x+width-1} and rows {@code y .. y+height-1}.
 */
public record PartBox(String name, int x, int y, int width, int height) {

    /** Whether pixel (px, py) lies in the box. */
    public boolean contains(int px, int py) {
        return px >= x && px < x + width && py >= y && py < y + height;
    }

    /** The box grown by {@code margin} pixels on each side (not clipped). */
    public PartBox grow(int margin) {
        return new PartBox(name, x - margin, y - margin, width + 2 * margin, height + 2 * margin);
    }

    public double centerX() {
        return x + width / 2.0;
    }

    public double centerY() {
        return y + height / 2.0;
    }
}
