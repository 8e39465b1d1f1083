package org.circuitscope.model;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import java.util.Set;

/**
 * A differentiable scalar function of a model's activations: what a gradient call maximises. Feature visualisation
 * builds its composable objectives on this interface.
 */
public interface Objective {

    /** The layers whose activations {@link #value} reads. */
    Set<String> layers();

    /** The objective for a batch, as a scalar array, from the activations of {@link #layers()}. */
    NDArray value(Map<String, NDArray> activations);
}
