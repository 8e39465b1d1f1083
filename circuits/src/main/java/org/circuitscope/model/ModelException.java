package org.circuitscope.model;

/** Something about a model, a layer name or an input that the user can fix; the message says what and how. */
public class ModelException extends RuntimeException {
    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
