package org.circuitscope.ops;

import static org.circuitscope.ops.Values.array;
import static org.circuitscope.ops.Values.out;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.function.BinaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.function.UnaryOperator;
import org.circuitscope.graph.Attributes;
import org.circuitscope.graph.GraphException;
import org.circuitscope.graph.Op;
import org.circuitscope.graph.Value;

/**
 * Elementwise arithmetic with numpy broadcasting: on the engine for float tensors, on the Java side when every
 * operand is an integer tensor (shape arithmetic).
 */
final class Arithmetic {
    private Arithmetic() {
    }

    static Op binary(BinaryOperator<NDArray> f, LongBinaryOperator g) {
        return (in, m) -> {
            if (in[0] instanceof Value.Ints x && in[1] instanceof Value.Ints y) {
                if (g == null) {
                    throw new GraphException("is not defined here on integer tensors " + x + " and " + y);
                }
                return out(IntTensors.binary(x, y, g));
            }
            return out(f.apply(array(in[0], m), array(in[1], m)));
        };
    }

    /** n-ary Sum, Max, Min, Mean (Mean divides the Sum by n). */
    static Op variadic(BinaryOperator<NDArray> f, LongBinaryOperator g, boolean mean) {
        return (in, m) -> {
            boolean ints = true;
            for (Value v : in) {
                ints &= v instanceof Value.Ints;
            }
            if (ints && g != null && !mean) {
                Value.Ints acc = (Value.Ints) in[0];
                for (int i = 1; i < in.length; i++) {
                    acc = IntTensors.binary(acc, (Value.Ints) in[i], g);
                }
                return out(acc);
            }
            NDArray acc = array(in[0], m);
            for (int i = 1; i < in.length; i++) {
                acc = f.apply(acc, array(in[i], m));
            }
            if (mean) {
                acc = acc.div(in.length);
            } else if (in.length == 1) {
                acc = acc.duplicate();
            }
            return out(acc);
        };
    }

    static Op unary(UnaryOperator<NDArray> f) {
        return (in, m) -> out(f.apply(array(in[0], m)));
    }

    /** A comparison: a boolean tensor (0/1 integers when both sides are integers). */
    static Op compare(BinaryOperator<NDArray> f, LongBinaryOperator g) {
        return binary(f, g);
    }

    static Op where(Attributes a) {
        return (in, m) -> {
            if (in[0] instanceof Value.Ints c && in[1] instanceof Value.Ints x && in[2] instanceof Value.Ints y) {
                return out(IntTensors.where(c, x, y));
            }
            NDArray cond = condition(in[0], m);
            NDArray x = array(in[1], m);
            NDArray y = array(in[2], m);
            return out(NDArrays.where(cond, x, y));
        };
    }

    private static NDArray condition(Value v, NDManager m) {
        NDArray c = array(v, m);
        return c.getDataType() == DataType.BOOLEAN ? c : c.neq(0);
    }

    static Op not(Attributes a) {
        return (in, m) -> {
            if (in[0] instanceof Value.Ints x) {
                long[] r = new long[x.data().length];
                for (int i = 0; i < r.length; i++) {
                    r[i] = x.data()[i] == 0 ? 1 : 0;
                }
                return out(new Value.Ints(x.shape(), r));
            }
            return out(condition(in[0], m).logicalNot());
        };
    }

    static long intPow(long x, long y) {
        long r = 1;
        for (long i = 0; i < y; i++) {
            r *= x;
        }
        return r;
    }

    static long bool(boolean b) {
        return b ? 1 : 0;
    }
}
