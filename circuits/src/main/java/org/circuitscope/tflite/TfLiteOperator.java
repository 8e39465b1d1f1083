package org.circuitscope.tflite;

/**
 * One operator of a TensorFlow Lite subgraph, in execution order: its index, builtin code, the indices of its
 * input and output tensors (-1 for an absent optional input), and its builtin options table (null when the file
 * leaves it out, so every option takes its schema default) with the union type id that says which table it is.
 */
record TfLiteOperator(int index, int code, String customCode, int[] inputs, int[] outputs, int optionsType,
                      FlatTable options) {

    String opName() {
        return code == BuiltinOperator.CUSTOM ? "CUSTOM '" + customCode + "'" : BuiltinOperator.name(code);
    }
}
