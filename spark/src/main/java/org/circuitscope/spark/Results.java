package org.circuitscope.spark;

import java.awt.Rectangle;
import java.io.Serializable;
import java.util.List;
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
}
