package org.circuitscope.ops;

/**
 * How an op passes through the linearised network of "Visualizing Weights" (Voss et al., 2021), the one definition
 * that both the linearised executor ({@link OpSet#bindLinear}) and the symbolic kernel composition of expanded
 * weights follow: activation functions as identity, max pools as average pools, biases dropped.
 */
public enum Linearity {
    /** The identity: activation functions, Dropout, Identity, LRN (its normalisation is taken as a constant 1). */
    IDENTITY,
    /** A convolution's kernel; its bias is dropped. */
    CONVOLUTION,
    /** A window average: an average pool as it is, a max pool as the average over its window (padding counted). */
    POOLING,
    /** A mean over all positions (global max pooling as global average pooling). */
    GLOBAL_POOLING,
    /** A per-channel scale: batch norm as gamma / sqrt(var + epsilon); Mul or Div by a constant. */
    SCALE,
    /** A sum of activation terms (Add, Sum, Sub); constant terms are biases and are dropped. */
    SUM,
    /** Concatenation; parts that are zero in the linearised network are zero-filled. */
    CONCAT,
    /** Zero padding (a constant pad value is dropped like a bias). */
    PAD,
    /** Not linear, or not a spatial map to map (Softmax, a product of two activations, reshapes): paths stop. */
    NONE
}
