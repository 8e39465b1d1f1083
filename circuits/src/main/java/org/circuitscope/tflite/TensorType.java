package org.circuitscope.tflite;

/** TensorFlow Lite's element types (schema enum {@code TensorType}), with their byte widths. */
enum TensorType {
    FLOAT32(4), FLOAT16(2), INT32(4), UINT8(1), INT64(8), STRING(0), BOOL(1), INT16(2), COMPLEX64(8), INT8(1),
    FLOAT64(8), COMPLEX128(16), UINT64(8), RESOURCE(0), VARIANT(0), UINT32(4), UINT16(2), INT4(0);

    private final int bytes;

    TensorType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element; 0 for types without a fixed width (strings, resources, packed 4-bit). */
    int bytes() {
        return bytes;
    }

    static TensorType of(int code, String tensor) {
        TensorType[] all = values();
        if (code < 0 || code >= all.length) {
            throw new TfLiteFormatException("tensor '" + tensor + "' has element type " + code + ", which the "
                    + "TensorFlow Lite schema does not define");
        }
        return all[code];
    }
}
