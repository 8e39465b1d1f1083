package org.circuitscope.tflite;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What a file's TensorFlow Lite metadata ({@code TFLITE_METADATA}: a second flatbuffer, schema
 * tensorflow_lite_support/metadata/metadata_schema.fbs, identifier "M001") says about the image input and the class
 * output: the input's normalisation ((x − mean) / std on 0..255 pixels, given for the float model the file was
 * made from), its colour space, and the name of the packed file holding the output's class labels.
 *
 * @param mean       per-channel means, empty when the metadata states none
 * @param std        per-channel standard deviations, likewise
 * @param grayscale  whether the input image is declared GRAYSCALE
 * @param labelsFile the associated file of type TENSOR_AXIS_LABELS on the first output, or null
 */
record ModelMetadata(String name, float[] mean, float[] std, boolean grayscale, String labelsFile) {
    static final String KEY = "TFLITE_METADATA";
    static final ModelMetadata NONE = new ModelMetadata(null, new float[0], new float[0], false, null);

    // table ModelMetadata
    private static final int MODEL_NAME = 0;
    private static final int MODEL_SUBGRAPHS = 3;
    // table SubGraphMetadata
    private static final int SUBGRAPH_INPUTS = 2;
    private static final int SUBGRAPH_OUTPUTS = 3;
    // table TensorMetadata
    private static final int TENSOR_CONTENT = 3;
    private static final int TENSOR_PROCESS_UNITS = 4;
    private static final int TENSOR_ASSOCIATED_FILES = 6;
    // table Content: union ContentProperties (ImageProperties = 2)
    private static final int CONTENT_TYPE = 0;
    private static final int CONTENT_VALUE = 1;
    private static final int IMAGE_PROPERTIES = 2;
    // table ImageProperties
    private static final int IMAGE_COLOR_SPACE = 0;
    private static final int GRAYSCALE = 2;
    // table ProcessUnit: union ProcessUnitOptions (NormalizationOptions = 1)
    private static final int UNIT_TYPE = 0;
    private static final int UNIT_VALUE = 1;
    private static final int NORMALIZATION = 1;
    private static final int NORM_MEAN = 0;
    private static final int NORM_STD = 1;
    // table AssociatedFile
    private static final int FILE_NAME = 0;
    private static final int FILE_TYPE = 2;
    private static final int TENSOR_AXIS_LABELS = 2;

    /** Reads the metadata buffer; a file without one (or with a foreign one) has {@link #NONE}. */
    static ModelMetadata read(ByteBuffer buffer) {
        if (buffer == null || buffer.limit() < 8 || !FlatTable.identifier(buffer).equals("M001")) {
            return NONE;
        }
        FlatTable root = FlatTable.root(buffer);
        List<FlatTable> subgraphs = root.tables(MODEL_SUBGRAPHS);
        if (subgraphs.isEmpty()) {
            return new ModelMetadata(root.string(MODEL_NAME), new float[0], new float[0], false, null);
        }
        float[] mean = new float[0];
        float[] std = new float[0];
        boolean grey = false;
        List<FlatTable> inputs = subgraphs.get(0).tables(SUBGRAPH_INPUTS);
        if (!inputs.isEmpty()) {
            FlatTable in = inputs.get(0);
            for (FlatTable unit : in.tables(TENSOR_PROCESS_UNITS)) {
                FlatTable options = unit.table(UNIT_VALUE);
                if (unit.getByte(UNIT_TYPE, (byte) 0) == NORMALIZATION && options != null) {
                    mean = options.floats(NORM_MEAN);
                    std = options.floats(NORM_STD);
                }
            }
            FlatTable content = in.table(TENSOR_CONTENT);
            if (content != null && content.getByte(CONTENT_TYPE, (byte) 0) == IMAGE_PROPERTIES) {
                FlatTable image = content.table(CONTENT_VALUE);
                grey = image != null && image.getByte(IMAGE_COLOR_SPACE, (byte) 0) == GRAYSCALE;
            }
        }
        String labels = null;
        List<FlatTable> outputs = subgraphs.get(0).tables(SUBGRAPH_OUTPUTS);
        if (!outputs.isEmpty()) {
            List<String> files = new ArrayList<>();
            for (FlatTable f : outputs.get(0).tables(TENSOR_ASSOCIATED_FILES)) {
                if (f.getByte(FILE_TYPE, (byte) 0) == TENSOR_AXIS_LABELS && f.string(FILE_NAME) != null) {
                    files.add(f.string(FILE_NAME));
                }
            }
            labels = files.isEmpty() ? null : files.get(0);
        }
        return new ModelMetadata(root.string(MODEL_NAME), mean, std, grey, labels);
    }
}
