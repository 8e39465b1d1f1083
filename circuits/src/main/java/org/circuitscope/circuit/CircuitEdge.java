package org.circuitscope.circuit;

import java.util.Locale;
import org.circuitscope.model.Unit;
import org.circuitscope.weights.Sign;

/**
 * One edge of a circuit: the weights from an input unit to a unit (its conv kernel, expanded weights, or virtual
 * weights when either end is a dictionary feature), their L2
 * norm and summed weight (whose sign says excitatory, inhibitory or balanced), and the attribution on the data
 * source: the mean over images of Σ activation × gradient of the unit with respect to the input unit's map (NaN when
 * no data source was given).
 */
public record CircuitEdge(Unit from, Unit to, float[] kernel, int kh, int kw, double weightNorm,
                          double weightSum, double attribution, boolean expanded) {

    /** Excitatory (positive summed weight), inhibitory (negative) or balanced (weights that cancel). */
    public Sign sign() {
        return Sign.of(kernel);
    }

    @Override
    public String toString() {
        return from + " → " + to + " (" + sign().symbol() + String.format(Locale.ROOT, ", ‖w‖ %.4g%s)", weightNorm,
                Double.isNaN(attribution) ? "" : String.format(Locale.ROOT, ", attribution %.4g", attribution));
    }
}
