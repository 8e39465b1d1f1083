package org.circuitscope.circuit;

import org.circuitscope.model.Unit;

/**
 * A unit of a circuit (a channel, or a dictionary feature) and its depth: 0 for the unit the circuit explains, 1
 * for its inputs, and so on.
 */
public record CircuitNode(Unit unit, int depth) {

    public String layer() {
        return unit.layer();
    }

    /** The diagram row the unit sits on: its layer, or {@code layer/dictionary} for a feature. */
    public String row() {
        return rowOf(unit);
    }

    /** The diagram row of {@code u}: its layer, or {@code layer/dictionary} for a feature. */
    public static String rowOf(Unit u) {
        return u instanceof Unit.Feature f ? f.layer() + "/" + f.dictionary() : u.layer();
    }

    /** The number shown under the unit: its channel, or its index in its dictionary. */
    public static int indexOf(Unit u) {
        return u instanceof Unit.Feature f ? f.index() : ((Unit.Channel) u).channel();
    }

    @Override
    public String toString() {
        return unit + " (depth " + depth + ")";
    }
}
