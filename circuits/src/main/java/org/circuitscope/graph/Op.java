package org.circuitscope.graph;

import ai.djl.ndarray.NDManager;

/**
 * One operation of a graph, with its attributes already bound. Ops are built from NDArray operations so that the
 * engine's autograd sees through them; results are attached to the call's manager by the executor.
 */
@FunctionalInterface
public interface Op {
    /**
     * @param inputs  the node's inputs in order (null where an optional input is absent)
     * @param manager the manager of the running call, for any constant an op must create
     */
    Value[] apply(Value[] inputs, NDManager manager);
}
