package org.circuitscope.data;

import java.awt.image.BufferedImage;

/**
 * One image of a source, with a stable id (a file path, an index) and its label (null when the source has none).
 */
public record Sample(String id, String label, BufferedImage image) {
}
