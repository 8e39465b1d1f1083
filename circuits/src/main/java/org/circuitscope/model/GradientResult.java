package org.circuitscope.model;

import org.circuitscope.tensor.Tensor;

/** An objective's value and its gradient with respect to the RGB [0, 1] input batch (N×3×H×W). */
public record GradientResult(float value, Tensor gradient) {
}
