package org.circuitscope.ops;

import static org.circuitscope.ops.Values.out;
import static org.circuitscope.ops.Values.present;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import org.circuitscope.graph.Attributes;
import org.circuitscope.graph.GraphException;
import org.circuitscope.graph.Op;
import org.circuitscope.graph.Value;

/**
 * ONNX Resize (inputs X, roi, scales, sizes) in modes nearest, linear and cubic, with every coordinate
 * transformation, nearest rounding, antialiasing and exclude_outside. Interpolation is separable, so each resized
 * axis is one matrix product with an interpolation matrix computed here from the ONNX reference semantics; the
 * result is exact and differentiable.
 */
final class Resize {
    private static final List<String> TRANSFORMS = List.of("half_pixel", "half_pixel_symmetric", "pytorch_half_pixel",
            "align_corners", "asymmetric", "tf_crop_and_resize");

    private Resize() {
    }

    /** The settings of one Resize node. */
    private record Settings(String mode, String transform, String nearest, float cubicA, boolean excludeOutside,
                            float extrapolation, boolean antialias, long[] axes, String aspect) {
    }

    static Op resize(Attributes a) {
        Settings s = new Settings(a.getString("mode", "nearest"),
                a.getString("coordinate_transformation_mode", "half_pixel"),
                a.getString("nearest_mode", "round_prefer_floor"), a.getFloat("cubic_coeff_a", -0.75f),
                a.getInt("exclude_outside", 0) != 0, a.getFloat("extrapolation_value", 0f),
                a.getInt("antialias", 0) != 0, a.getInts("axes", null),
                a.getString("keep_aspect_ratio_policy", "stretch"));
        if (!List.of("nearest", "linear", "cubic").contains(s.mode)) {
            throw new GraphException("has mode '" + s.mode + "'; Resize knows nearest, linear and cubic");
        }
        if (!TRANSFORMS.contains(s.transform)) {
            throw new GraphException("has coordinate_transformation_mode '" + s.transform + "', which circuitscope "
                    + "does not know (" + String.join(", ", TRANSFORMS) + ")");
        }
        if (!List.of("round_prefer_floor", "round_prefer_ceil", "floor", "ceil").contains(s.nearest)) {
            throw new GraphException("has nearest_mode '" + s.nearest + "'");
        }
        if (s.antialias && s.mode.equals("nearest")) {
            throw new GraphException("asks for antialias in nearest mode, which ONNX does not define");
        }
        if (!List.of("stretch", "not_larger", "not_smaller").contains(s.aspect)) {
            throw new GraphException("has keep_aspect_ratio_policy '" + s.aspect + "'");
        }
        return (in, m) -> out(run(in, s, m));
    }

    private static NDArray run(Value[] in, Settings s, NDManager m) {
        NDArray x = in[0].array();
        long[] shape = x.getShape().getShape();
        int r = shape.length;
        int[] axes = new int[s.axes == null ? r : s.axes.length];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = s.axes == null ? i : Values.axis(s.axes[i], r);
        }
        double[] scales = new double[r];
        long[] sizes = shape.clone();
        Arrays.fill(scales, 1);
        float[] scaleIn = present(in, 2) ? floats(in[2]) : new float[0];
        long[] sizeIn = present(in, 3) ? in[3].ints().data() : new long[0];
        if (scaleIn.length > 0 && sizeIn.length > 0) {
            throw new GraphException("gives both scales and sizes; ONNX allows one");
        }
        if (scaleIn.length > 0) {
            check(scaleIn.length, axes.length, "scales");
            for (int i = 0; i < axes.length; i++) {
                if (!(scaleIn[i] > 0)) {
                    throw new GraphException("has scale " + scaleIn[i] + "; scales must be positive");
                }
                scales[axes[i]] = scaleIn[i];
                sizes[axes[i]] = (long) (scaleIn[i] * shape[axes[i]]);
            }
        } else if (sizeIn.length > 0) {
            check(sizeIn.length, axes.length, "sizes");
            for (int i = 0; i < axes.length; i++) {
                sizes[axes[i]] = sizeIn[i];
                scales[axes[i]] = (double) sizeIn[i] / shape[axes[i]];
            }
            if (!s.aspect.equals("stretch")) {
                double pick = s.aspect.equals("not_larger") ? Double.MAX_VALUE : 0;
                for (int ax : axes) {
                    pick = s.aspect.equals("not_larger") ? Math.min(pick, scales[ax]) : Math.max(pick, scales[ax]);
                }
                for (int ax : axes) {
                    scales[ax] = pick;
                    sizes[ax] = (long) (pick * shape[ax] + 0.5);
                }
            }
        } else {
            throw new GraphException("gives neither scales nor sizes");
        }
        float[] roi = present(in, 1) ? floats(in[1]) : new float[0];
        double[] start = new double[r];
        double[] end = new double[r];
        Arrays.fill(end, 1);
        if (s.transform.equals("tf_crop_and_resize")) {
            if (roi.length != 2 * axes.length) {
                throw new GraphException("needs a roi of " + 2 * axes.length + " values for tf_crop_and_resize, not "
                        + roi.length);
            }
            for (int i = 0; i < axes.length; i++) {
                start[axes[i]] = roi[i];
                end[axes[i]] = roi[axes.length + i];
            }
        }
        NDArray y = x;
        // inner axes first, as the reference interpolates them before the outer ones
        for (int ax = r - 1; ax >= 0; ax--) {
            if (sizes[ax] == shape[ax] && scales[ax] == 1 && !s.transform.equals("tf_crop_and_resize")) {
                continue;
            }
            if (sizes[ax] <= 0) {
                throw new GraphException("would resize axis " + ax + " to " + sizes[ax] + " elements");
            }
            y = alongAxis(y, ax, s, (int) shape[ax], (int) sizes[ax], scales[ax], start[ax], end[ax], m);
        }
        return y == x ? x.duplicate() : y;
    }

    private static void check(int given, int axes, String what) {
        if (given != axes) {
            throw new GraphException("gives " + given + " " + what + " for " + axes + " axes");
        }
    }

    private static float[] floats(Value v) {
        if (v instanceof Value.Ints i) {
            float[] f = new float[i.data().length];
            for (int k = 0; k < f.length; k++) {
                f[k] = i.data()[k];
            }
            return f;
        }
        NDArray a = v.array();
        return (a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false)).toFloatArray();
    }

    /** Applies the interpolation y = M·x + c along one axis. */
    private static NDArray alongAxis(NDArray x, int axis, Settings s, int in, int out, double scale, double roiStart,
                                     double roiEnd, NDManager m) {
        float[] matrix = new float[out * in];
        float[] constant = new float[out];
        boolean anyConstant = false;
        for (int i = 0; i < out; i++) {
            anyConstant |= row(s, i, in, out, scale, roiStart, roiEnd, matrix, constant);
        }
        int rank = x.getShape().dimension();
        NDArray moved = axis == rank - 1 ? x : x.swapAxes(axis, rank - 1);
        NDArray weights = m.create(matrix, new Shape(out, in)).transpose();
        NDArray y = moved.matMul(weights);
        if (anyConstant) {
            y = y.add(m.create(constant, new Shape(out)));
        }
        return axis == rank - 1 ? y : y.swapAxes(axis, rank - 1);
    }

    /** Fills row {@code i} of the interpolation matrix; returns whether it is a constant (extrapolated) row. */
    private static boolean row(Settings s, int i, int in, int out, double scale, double roiStart, double roiEnd,
                               float[] matrix, float[] constant) {
        double outWidth = scale * in;
        double x;
        switch (s.transform) {
            case "align_corners" -> x = outWidth == 1 ? 0 : i * (in - 1) / (outWidth - 1);
            case "asymmetric" -> x = i / scale;
            case "pytorch_half_pixel" -> x = outWidth == 1 ? -0.5 : (i + 0.5) / scale - 0.5;
            case "half_pixel_symmetric" -> {
                double adjustment = out / outWidth;
                double centre = in / 2.0;
                x = centre * (1 - adjustment) + (i + 0.5) / scale - 0.5;
            }
            case "tf_crop_and_resize" -> {
                x = outWidth == 1 ? (roiEnd - roiStart) * (in - 1) / 2 : i * (roiEnd - roiStart) * (in - 1) / (outWidth - 1);
                x += roiStart * (in - 1);
                if (x < 0 || x > in - 1) {
                    constant[i] = s.extrapolation;
                    return true;
                }
            }
            default -> x = (i + 0.5) / scale - 0.5;
        }
        double floor = Math.floor(x);
        double ratio = x == floor ? 1 : x - floor;
        double[] coeffs = coefficients(s, ratio, scale);
        // the coefficients belong to neighbours ceil(x) - n/2 … ceil(x) + n/2 - 1 (n is even)
        long first = (long) Math.ceil(x) - coeffs.length / 2;
        if (s.excludeOutside) {
            for (int k = 0; k < coeffs.length; k++) {
                long idx = first + k;
                if (idx < 0 || idx >= in) {
                    coeffs[k] = 0;
                }
            }
            coeffs = normalised(coeffs);
        }
        for (int k = 0; k < coeffs.length; k++) {
            long idx = Math.max(0, Math.min(in - 1, first + k));
            matrix[(int) (i * (long) in + idx)] += (float) coeffs[k];
        }
        return false;
    }

    private static double[] coefficients(Settings s, double ratio, double scale) {
        switch (s.mode) {
            case "nearest" -> {
                if (ratio == 1) {
                    return new double[] {0, 1};
                }
                boolean up = switch (s.nearest) {
                    case "round_prefer_ceil" -> ratio >= 0.5;
                    case "floor" -> false;
                    case "ceil" -> true;
                    default -> ratio > 0.5;
                };
                return up ? new double[] {0, 1} : new double[] {1, 0};
            }
            case "linear" -> {
                if (!s.antialias) {
                    return new double[] {1 - ratio, ratio};
                }
                double sc = Math.min(scale, 1);
                int start = (int) Math.floor(-1 / sc) + 1;
                int footprint = 2 - 2 * start;
                double[] c = new double[footprint];
                for (int k = 0; k < footprint; k++) {
                    c[k] = Math.max(0, Math.min(1, 1 - Math.abs((start + k - ratio) * sc)));
                }
                return normalised(c);
            }
            default -> {
                double a = s.cubicA;
                if (!s.antialias) {
                    return new double[] {cubic(ratio + 1, a), cubic(ratio, a), cubic(1 - ratio, a), cubic(2 - ratio, a)};
                }
                double sc = Math.min(scale, 1);
                int start = (int) Math.floor(-2 / sc) + 1;
                int n = 2 - 2 * start;
                double[] c = new double[n];
                for (int k = 0; k < n; k++) {
                    c[k] = cubic(sc * (start + k - ratio), a);
                }
                return normalised(c);
            }
        }
    }

    /** The coefficients scaled to sum to 1. */
    private static double[] normalised(double[] c) {
        double sum = 0;
        for (double v : c) {
            sum += v;
        }
        for (int k = 0; k < c.length; k++) {
            c[k] /= sum;
        }
        return c;
    }

    /** Keys' cubic convolution kernel with parameter a. */
    private static double cubic(double t, double a) {
        double x = Math.abs(t);
        if (x <= 1) {
            return ((a + 2) * x - (a + 3)) * x * x + 1;
        }
        if (x < 2) {
            return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
        }
        return 0;
    }
}
