package org.circuitscope.graph;

import org.circuitscope.model.ModelException;

/** A graph that cannot be built or run as asked. */
public class GraphException extends ModelException {
    public GraphException(String message) {
        super(message);
    }

    public GraphException(String message, Throwable cause) {
        super(message, cause);
    }
}
