package org.circuitscope.circuit;

import java.util.Locale;

/**
 * How much of the unit's activation the circuit alone explains. Three versions of the unit's activation maps are
 * computed on the data source:
 * <ul>
 * <li>the <b>unit</b> in the intact network, {@code a};</li>
 * <li>the <b>circuit</b>: every input edge not in the circuit zeroed (input channels outside the circuit set to
 * zero, level by level; the inputs of the circuit's leaves left as they are), {@code c};</li>
 * <li>the <b>baseline</b>: every input of the unit zeroed, {@code b}: what the unit does on its bias alone.</li>
 * </ul>
 * {@code explained = 1 − ‖c − a‖ / ‖a − b‖} over all the maps, clipped to [0, 1]: 1 when the circuit reproduces the
 * unit exactly, 0 when it does no better than the baseline. Measuring from the baseline rather than from zero keeps
 * the constant a bias contributes from counting as explained: a circuit with no edges at all scores 0.
 *
 * @param explained    the fraction of the unit's activation above its baseline that the circuit keeps
 * @param actualMean   the unit's mean activation in the intact network
 * @param prunedMean   its mean activation with only the circuit's edges
 * @param baselineMean its mean activation with all its inputs zeroed
 * @param top          how many inputs per unit the circuit keeps
 * @param edges        how many edges the circuit has
 * @param images       how many images the check ran on
 * @param source       the data source's name
 */
public record PruningCheck(double explained, double actualMean, double prunedMean, double baselineMean, int top,
                           int edges, int images, String source) {

    /** The definition in one line, as the diagram states it. */
    public static final String DEFINITION = "explained = 1 − ‖circuit − unit‖ / ‖unit − baseline‖ over the unit's "
            + "maps; circuit: every edge not drawn zeroed; baseline: every input of the unit zeroed";

    /** One circuit size tried while growing: inputs kept per unit, edges, fraction explained. */
    public record Step(int top, int edges, double explained) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "top %d (%d edges): %.2f", top, edges, explained);
        }
    }

    public Step step() {
        return new Step(top, edges, explained);
    }

    /** Running sums over the maps of many batches. */
    static final class Sums {
        private double errSq;
        private double devSq;
        private double actual;
        private double pruned;
        private double baseline;
        private long count;

        void add(float[] a, float[] c, float[] b) {
            for (int i = 0; i < a.length; i++) {
                double e = (double) c[i] - a[i];
                double d = (double) a[i] - b[i];
                errSq += e * e;
                devSq += d * d;
                actual += a[i];
                pruned += c[i];
                baseline += b[i];
            }
            count += a.length;
        }

        PruningCheck check(int top, int edges, int images, String source) {
            double explained;
            if (devSq <= 0) {
                // the unit never leaves its baseline: nothing to explain, and the circuit either matches or not
                explained = errSq <= 0 ? 1 : 0;
            } else {
                explained = Math.max(0, Math.min(1, 1 - Math.sqrt(errSq / devSq)));
            }
            double n = Math.max(1, count);
            return new PruningCheck(explained, actual / n, pruned / n, baseline / n, top, edges, images, source);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "pruning check: the circuit (top %d, %d edges) explains %.2f of the unit's "
                + "activation above its baseline on %d images of %s (mean activation %.4g intact, %.4g with the "
                + "circuit's edges only, %.4g baseline)", top, edges, explained, images, source, actualMean,
                prunedMean, baselineMean);
    }
}
