package org.circuitscope.tflite;

import org.circuitscope.model.ModelException;

/** A file that is not a well-formed TensorFlow Lite flatbuffer; the message says where it breaks. */
final class TfLiteFormatException extends ModelException {
    TfLiteFormatException(String message) {
        super(message);
    }
}
