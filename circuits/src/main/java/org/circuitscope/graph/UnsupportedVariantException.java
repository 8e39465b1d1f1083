package org.circuitscope.graph;

/**
 * A node asks for a variant of its op that circuitscope does not implement, and which only shows once its inputs
 * are known (Dropout's {@code training_mode} is an input, not an attribute). Kept apart from other graph errors so
 * that the load does not blame the input size for it.
 */
public class UnsupportedVariantException extends GraphException {
    public UnsupportedVariantException(String message) {
        super(message);
    }

    public UnsupportedVariantException(String message, Throwable cause) {
        super(message, cause);
    }
}
