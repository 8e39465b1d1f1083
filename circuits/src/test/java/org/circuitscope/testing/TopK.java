package org.circuitscope.testing;

import org.circuitscope.tensor.Tensor;

/** Ranks of labels in class scores, for accuracy tests. */
public final class TopK {
    private TopK() {
    }

    /** How many classes score above {@code label} in row {@code row} of N×classes scores (0: top-1). */
    public static int rankOf(Tensor scores, int row, int label) {
        int classes = (int) scores.dim(1);
        float target = scores.get(row, label);
        int above = 0;
        for (int c = 0; c < classes; c++) {
            if (scores.get(row, c) > target) {
                above++;
            }
        }
        return above;
    }
}
