package org.circuitscope.weights;

import java.awt.Color;

/**
 * Whether an input excites or inhibits a unit, read from the sign of its kernel's summed weight. A kernel whose
 * positive and negative weights cancel (a summed weight within a millionth of its total absolute weight, which is
 * float rounding) is {@link #BALANCED}: neither, and drawn grey rather than passed off as excitatory.
 */
public enum Sign {
    EXCITATORY("excitatory", "+", 1, Heatmaps.RED),
    INHIBITORY("inhibitory", "−", -1, Heatmaps.BLUE),
    BALANCED("balanced", "±", 0, Heatmaps.GREY);

    private final String word;
    private final String symbol;
    private final int value;
    private final Color color;

    Sign(String word, String symbol, int value, Color color) {
        this.word = word;
        this.symbol = symbol;
        this.value = value;
        this.color = color;
    }

    public static Sign of(float[] kernel) {
        double sum = 0;
        double abs = 0;
        for (float v : kernel) {
            sum += v;
            abs += Math.abs(v);
        }
        if (Math.abs(sum) <= 1e-6 * abs || abs == 0) {
            return BALANCED;
        }
        return sum > 0 ? EXCITATORY : INHIBITORY;
    }

    /** "excitatory", "inhibitory" or "balanced". */
    public String word() {
        return word;
    }

    /** "+", "−" or "±". */
    public String symbol() {
        return symbol;
    }

    /** +1, −1 or 0. */
    public int value() {
        return value;
    }

    /** Red, blue or grey: the colour of edges and labels of this sign. */
    public Color color() {
        return color;
    }
}
