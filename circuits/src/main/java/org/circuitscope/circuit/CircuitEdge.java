package org.circuitscope.circuit;

import org.circuitscope.model.Unit;

/**
 * One edge of a circuit: the weights from an input unit to a unit (its conv kernel, or expanded weights), their L2
 * norm and summed weight (whose sign says excitatory or inhibitory), and the attribution on the data source: the
 * mean over images of Σ activation × gradient of the unit with respect to the input unit's map (NaN when no data
 * source was given).
 */
public record CircuitEdge(Unit.Channel from, Unit.Channel to, float[] kernel, int kh, int kw, double weightNorm,
                          double weightSum, double attribution, boolean expanded) {

    /** +1 excitatory (positive summed weight), −1 inhibitory. */
    public int sign() {
        return weightSum >= 0 ? 1 : -1;
    }

    public boolean excitatory() {
        return weightSum >= 0;
    }

    @Override
    public String toString() {
        return from + " → " + to + (excitatory() ? " (+" : " (−") + String.format(java.util.Locale.ROOT,
                ", ‖w‖ %.4g%s)", weightNorm, Double.isNaN(attribution) ? "" : String.format(java.util.Locale.ROOT,
                        ", attribution %.4g", attribution));
    }
}
