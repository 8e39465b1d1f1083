package org.circuitscope.examples;

import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;

/**
 * One dataset example of a unit: its rank (1 = strongest), the image's id and label, the unit's value on it, the
 * layer position where that value was reached, the input box that position sees (clipped to the image), and the
 * image as the model saw it (at the model's input size).
 */
public record Example(int rank, String id, String label, float value, int y, int x, Rectangle box,
                      BufferedImage image) {

    /** The part of the image inside {@link #box()} (a copy). */
    public BufferedImage crop() {
        BufferedImage out = new BufferedImage(Math.max(1, box.width), Math.max(1, box.height),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(image, -box.x, -box.y, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
