package org.circuitscope.tflite;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Layer and constant names from tensor names. The MLIR converter joins the names of every TensorFlow op it fused
 * into a tensor with ';' ("MobilenetV1/MobilenetV1/Conv2d_0/Relu6;MobilenetV1/…/add_fold;…"): the first part
 * names the op that produced the value, so that is the name. Names are made unique in the order the importer asks
 * for them (the input, then operator outputs in execution order, then constants), by suffixes _2, _3, ….
 */
final class TensorNames {
    private final String[] names;
    private final Set<String> used = new HashSet<>();

    TensorNames(List<TfLiteTensor> tensors, int input, List<TfLiteOperator> operators) {
        names = new String[tensors.size()];
        assign(tensors.get(input));
        for (TfLiteOperator op : operators) {
            for (int o : op.outputs()) {
                assign(tensors.get(o));
            }
        }
        for (TfLiteTensor t : tensors) {
            if (names[t.index()] == null) {
                assign(t);
            }
        }
    }

    private void assign(TfLiteTensor t) {
        if (names[t.index()] == null) {
            names[t.index()] = fresh(shortName(t.name()));
        }
    }

    static String shortName(String full) {
        int cut = full.indexOf(';');
        String s = (cut < 0 ? full : full.substring(0, cut)).trim();
        return s.isEmpty() ? full.trim() : s;
    }

    String of(int tensor) {
        return names[tensor];
    }

    /** {@code base}, or base_2, base_3, … when taken. */
    String fresh(String base) {
        String n = base;
        for (int k = 2; !used.add(n); k++) {
            n = base + "_" + k;
        }
        return n;
    }
}
