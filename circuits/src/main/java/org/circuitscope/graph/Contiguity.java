package org.circuitscope.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * Whether a PyTorch array is row-major (contiguous in memory), for the kernels whose speed, not values, depends on
 * the layout. DJL has the query in its native library ({@code PyTorchLibrary.torchIsContiguous}) but no public
 * method for it, so it is reached by reflection; with another engine's array, or a DJL without that method, the
 * answer is "unknown" and callers take the layout-agnostic path they took before.
 */
final class Contiguity {
    private static final Object LIBRARY;
    private static final Method IS_CONTIGUOUS;

    static {
        Object lib = null;
        Method query = null;
        try {
            Class<?> c = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
            Field f = c.getDeclaredField("LIB");
            f.setAccessible(true);
            query = c.getDeclaredMethod("torchIsContiguous", long.class);
            query.setAccessible(true);
            lib = f.get(null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            query = null;
        }
        LIBRARY = lib;
        IS_CONTIGUOUS = query;
    }

    private Contiguity() {
    }

    enum Layout { ROW_MAJOR, OTHER, UNKNOWN }

    static Layout of(NDArray x) {
        if (IS_CONTIGUOUS == null || !(x instanceof PtNDArray pt)) {
            return Layout.UNKNOWN;
        }
        try {
            return (Boolean) IS_CONTIGUOUS.invoke(LIBRARY, pt.getHandle()) ? Layout.ROW_MAJOR : Layout.OTHER;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Layout.UNKNOWN;
        }
    }
}
