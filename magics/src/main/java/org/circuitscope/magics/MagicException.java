package org.circuitscope.magics;

/** A problem with what the user asked for, worded for the notebook cell. */
public class MagicException extends Exception {
    public MagicException(String message) {
        super(message);
    }

    public MagicException(String message, Throwable cause) {
        super(message, cause);
    }
}
