package org.circuitscope.circuit;

import java.util.Locale;

/**
 * How much of the unit's activation the circuit alone keeps: every input edge not in the circuit is zeroed (the
 * input channels outside the circuit are set to zero, level by level, inputs of the circuit's leaves left as they
 * are) and the unit's activation maps on the data source are compared with the intact network's.
 *
 * @param kept        1 − ‖pruned − actual‖ / ‖actual‖ over all the unit's activation maps, clipped to [0, 1]:
 *                    1 when the circuit reproduces the unit exactly, 0 when it does no better than silence
 * @param actualMean  the unit's mean activation in the intact network
 * @param prunedMean  its mean activation with only the circuit's edges
 * @param images      how many images the check ran on
 * @param source      the data source's name
 */
public record PruningCheck(double kept, double actualMean, double prunedMean, int images, String source) {

    static PruningCheck of(double errSq, double actSq, double actualSum, double prunedSum, long count, int images,
                           String source) {
        double kept;
        if (actSq <= 0) {
            kept = errSq <= 0 ? 1 : 0;
        } else {
            kept = Math.max(0, Math.min(1, 1 - Math.sqrt(errSq / actSq)));
        }
        return new PruningCheck(kept, actualSum / Math.max(1, count), prunedSum / Math.max(1, count), images, source);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "pruning check: the circuit keeps %.2f of the unit's activation on %d "
                + "images of %s (mean activation %.4g intact, %.4g with the circuit's edges only)", kept, images,
                source, actualMean, prunedMean);
    }
}
