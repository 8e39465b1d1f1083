package org.circuitscope.spark;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.circuitscope.census.Rules;
import org.circuitscope.model.ModelException;

/** What the distributed jobs return, merged on the driver. */
public final class Results {
    private Results() {
    }

    /**
     * Reduced activations of every image read, in dataset order: {@code rows[i][j]} is column {@code j}
     * ({@code layer:channel}) of image {@code ids.get(i)}; {@code problems} names every image that could not be read.
     */
    public record Activations(List<String> ids, List<String> labels, List<Long> indexes, List<String> columns,
                              float[][] rows, List<String> problems, long images) implements Serializable {
        public float[] column(String name) {
            int j = columns.indexOf(name);
            if (j < 0) {
                throw new ModelException("no column '" + name + "'; columns are layer:channel of " + columns.size()
                        + " channels");
            }
            float[] out = new float[rows.length];
            for (int i = 0; i < rows.length; i++) {
                out[i] = rows[i][j];
            }
            return out;
        }
    }

    /** One dataset example: its index in the dataset, id, label, the unit's value, position and input box. */
    public record Example(long index, String id, String label, float value, int y, int x, Rectangle box)
            implements Serializable {
    }

    /**
     * A unit's exact top (or, when {@code negative}, bottom) k over the whole dataset, strongest first, ties to the
     * earlier image; {@code unitRead} is where it was read (before the ReLU for negative examples).
     */
    public record Examples(String unit, String unitRead, boolean negative, List<Example> examples, long imagesSeen,
                           List<String> problems) implements Serializable {
    }

    /**
     * A layer sheet of feature visualisations optimised on the executors: image i (PNG bytes, lossless) maximises
     * {@code channels[i]} of {@code layer}; {@code objective[i]} is its objective at the last step. The chunks of
     * {@code batch} channels are the single-JVM sheet's chunks, each optimised with the same seed and options.
     */
    public record Sheet(String model, String layer, int[] channels, List<byte[]> png, float[] objective, int batch,
                        int steps, int size, long seed) implements Serializable {
        /** The images, decoded. */
        public List<BufferedImage> images() {
            List<BufferedImage> out = new ArrayList<>();
            for (byte[] b : png) {
                try {
                    out.add(ImageIO.read(new ByteArrayInputStream(b)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return out;
        }
    }

    /** A unit's census verdict as it travels back from an executor (the fields of {@link Rules.Verdict}). */
    public record Verdict(int unit, String family, double score, double orientation, double size, String color,
                          String set, int stimulus, String reason) implements Serializable {
        public static Verdict of(Rules.Verdict v) {
            return new Verdict(v.unit(), v.familyLabel(), v.score(), v.orientation(), v.size(), v.color(), v.set(),
                    v.stimulus(), v.reason());
        }
    }

    /** The census of one layer of one model: every unit's verdict and the census's one-line summary. */
    public record Census(String model, String layer, List<Verdict> verdicts, String summary) implements Serializable {
    }
}
