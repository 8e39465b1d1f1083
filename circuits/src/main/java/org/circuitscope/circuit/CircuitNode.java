package org.circuitscope.circuit;

import org.circuitscope.model.Unit;

/** A unit of a circuit and its depth: 0 for the unit the circuit explains, 1 for its inputs, and so on. */
public record CircuitNode(Unit.Channel unit, int depth) {

    public String layer() {
        return unit.layer();
    }

    @Override
    public String toString() {
        return unit + " (depth " + depth + ")";
    }
}
