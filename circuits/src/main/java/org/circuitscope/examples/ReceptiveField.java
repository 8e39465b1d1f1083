package org.circuitscope.examples;

import java.awt.Rectangle;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.circuitscope.model.Layer;
import org.circuitscope.model.LayerGraph;
import org.circuitscope.model.Model;
import org.circuitscope.ops.Geometry;
import org.circuitscope.ops.Linearity;
import org.circuitscope.ops.OpDefinition;
import org.circuitscope.ops.OpSet;

/**
 * The part of the input image that one position of a layer sees, from the layer graph: each convolution and
 * pooling composes its kernel, stride, padding and dilation with what its input sees (size grows by
 * {@code (dilation·(kernel−1))·jump}, the jump multiplies by the stride, the start moves back by
 * {@code padding·jump}); element-wise ops keep it; ops with several inputs (Concat, Add) take the union. Position
 * {@code (y, x)} of the layer sees input rows {@code startY + y·strideY … + sizeY − 1} (columns alike), which may
 * reach past the image where the padding is. Layers without positions, and anything after a global pool or a
 * matrix product, see the whole image. Ops whose geometry the graph does not state are inferred from their input
 * and output shapes and flagged {@link #approximate()}.
 *
 * @param layer    the layer
 * @param sizeY    rows seen by one position
 * @param sizeX    columns seen by one position
 * @param strideY  input rows between neighbouring positions (the jump)
 * @param strideX  input columns between neighbouring positions
 * @param startY   the first input row seen by position 0 (negative where padding comes first)
 * @param startX   the first input column seen by position 0
 * @param whole    whether every position sees the whole image
 * @param approximate whether some op's geometry was inferred from shapes rather than read from the graph
 */
public record ReceptiveField(String layer, int sizeY, int sizeX, int strideY, int strideX, int startY, int startX,
                             boolean whole, boolean approximate) {

    private static final Set<String> WHOLE = Set.of("GlobalAveragePool", "GlobalMaxPool", "Gemm", "MatMul",
            "Flatten", "Reshape", "ReduceMean", "Transpose", "Squeeze", "Unsqueeze", "Gather", "Shape");

    /** The receptive field of a layer of {@code model}. */
    public static ReceptiveField of(Model model, String layer) {
        return of(model.layers(), layer, model);
    }

    /** The receptive field of a layer, from its graph alone (convolutions must state kernel_shape). */
    public static ReceptiveField of(LayerGraph graph, String layer) {
        return of(graph, layer, null);
    }

    private static ReceptiveField of(LayerGraph graph, String layer, Model model) {
        Map<String, ReceptiveField> memo = new HashMap<>();
        return compute(graph, graph.get(layer).name(), model, memo);
    }

    private static ReceptiveField compute(LayerGraph graph, String name, Model model,
                                          Map<String, ReceptiveField> memo) {
        ReceptiveField known = memo.get(name);
        if (known != null) {
            return known;
        }
        Layer l = graph.get(name);
        ReceptiveField rf;
        if (l.op().equals("Input") || l.inputs().isEmpty()) {
            rf = new ReceptiveField(name, 1, 1, 1, 1, 0, 0, !l.op().equals("Input"), false);
        } else {
            ReceptiveField in = null;
            Layer first = null;
            for (String i : l.inputs()) {
                if (!graph.contains(i)) {
                    continue;
                }
                Layer il = graph.get(i);
                ReceptiveField r = compute(graph, il.name(), model, memo);
                if (first == null && il.spatial()) {
                    first = il;
                }
                in = in == null ? r : in.union(r);
            }
            if (in == null) {
                rf = new ReceptiveField(name, 1, 1, 1, 1, 0, 0, true, false);
            } else {
                rf = step(l, first, in, model).named(name);
            }
        }
        memo.put(name, rf);
        return rf;
    }

    private static ReceptiveField step(Layer l, Layer input, ReceptiveField in, Model model) {
        if (in.whole || !l.spatial() || input == null || WHOLE.contains(l.op())) {
            return in.wholeImage();
        }
        long inH = input.shape()[2];
        long inW = input.shape()[3];
        long outH = l.shape()[2];
        long outW = l.shape()[3];
        String op = l.op();
        boolean conv = op.equals("Conv") || op.equals("ConvTranspose");
        if (conv || op.equals("MaxPool") || op.equals("AveragePool")) {
            if (op.equals("ConvTranspose")) {
                return in.wholeImage().approx();
            }
            long[] kernel = null;
            if (conv && model != null && !l.attributes().has("kernel_shape")) {
                long[] w = model.weights(l.name()).shape();
                kernel = w.length == 4 ? new long[] {w[2], w[3]} : null;
            }
            Geometry g;
            try {
                g = Geometry.spec(l.attributes(), !conv).resolve(inH, inW, kernel);
            } catch (RuntimeException e) {
                return inferred(in, inH, inW, outH, outW);
            }
            long[] k = g.kernel();
            long[] dil = g.dilations();
            return new ReceptiveField(l.name(),
                    (int) (in.sizeY + dil[0] * (k[0] - 1) * in.strideY),
                    (int) (in.sizeX + dil[1] * (k[1] - 1) * in.strideX),
                    (int) (in.strideY * g.strides()[0]), (int) (in.strideX * g.strides()[1]),
                    (int) (in.startY - g.pads()[0] * in.strideY), (int) (in.startX - g.pads()[1] * in.strideX), false,
                    in.approximate);
        }
        if (op.equals("Pad")) {
            long[] pads = Geometry.fullPads(l.attributes(), 4);
            long padY = pads != null ? pads[2] : (outH - inH) / 2;
            long padX = pads != null ? pads[3] : (outW - inW) / 2;
            return new ReceptiveField(l.name(), in.sizeY, in.sizeX, in.strideY, in.strideX,
                    (int) (in.startY - padY * in.strideY), (int) (in.startX - padX * in.strideX), false,
                    in.approximate || pads == null);
        }
        if (outH == inH && outW == inW) {
            return keepsPositions(op) ? in : in.approx();
        }
        return inferred(in, inH, inW, outH, outW);
    }

    /** Whether output position (y, x) reads input position (y, x) only: elementwise ops, channel ops, Concat. */
    private static boolean keepsPositions(String op) {
        if (!OpSet.supports(op)) {
            return false;
        }
        OpDefinition d = OpSet.definition(op);
        return d.channelwise() || d.linearity() == Linearity.CONCAT || d.linearity() == Linearity.IDENTITY
                || op.equals("Softmax") || op.equals("InstanceNormalization");
    }

    /** An op of unknown geometry that changes the size: taken as a pool with kernel = stride = in/out. */
    private static ReceptiveField inferred(ReceptiveField in, long inH, long inW, long outH, long outW) {
        long sY = Math.max(1, Math.round((double) inH / outH));
        long sX = Math.max(1, Math.round((double) inW / outW));
        return new ReceptiveField(in.layer, (int) (in.sizeY + (sY - 1) * in.strideY),
                (int) (in.sizeX + (sX - 1) * in.strideX), (int) (in.strideY * sY), (int) (in.strideX * sX),
                in.startY, in.startX, false, true);
    }

    private ReceptiveField named(String name) {
        return new ReceptiveField(name, sizeY, sizeX, strideY, strideX, startY, startX, whole, approximate);
    }

    private ReceptiveField wholeImage() {
        return new ReceptiveField(layer, sizeY, sizeX, strideY, strideX, startY, startX, true, approximate);
    }

    private ReceptiveField approx() {
        return new ReceptiveField(layer, sizeY, sizeX, strideY, strideX, startY, startX, whole, true);
    }

    /** What two inputs see together (Concat, Add): from the smaller start to the larger end. */
    ReceptiveField union(ReceptiveField o) {
        if (whole || o.whole) {
            return new ReceptiveField(layer, 1, 1, 1, 1, 0, 0, true, approximate || o.approximate);
        }
        int sy = Math.min(startY, o.startY);
        int sx = Math.min(startX, o.startX);
        int ey = Math.max(startY + sizeY, o.startY + o.sizeY);
        int ex = Math.max(startX + sizeX, o.startX + o.sizeX);
        return new ReceptiveField(layer, ey - sy, ex - sx, Math.max(strideY, o.strideY),
                Math.max(strideX, o.strideX), sy, sx, false,
                approximate || o.approximate || strideY != o.strideY || strideX != o.strideX);
    }

    /** The input rows and columns position (y, x) sees, before clipping (may reach past the image). */
    public Rectangle unclipped(int y, int x) {
        return new Rectangle(startX + x * strideX, startY + y * strideY, sizeX, sizeY);
    }

    /** The part of a {@code height}×{@code width} input that position (y, x) sees, clipped to the image. */
    public Rectangle box(int y, int x, int height, int width) {
        if (whole) {
            return new Rectangle(0, 0, width, height);
        }
        return unclipped(y, x).intersection(new Rectangle(0, 0, width, height));
    }

    /** The centre (x, y) in input pixels of what position (y, x) sees (continuous coordinates). */
    public double[] centre(int y, int x) {
        return new double[] {startX + x * strideX + sizeX / 2.0, startY + y * strideY + sizeY / 2.0};
    }

    @Override
    public String toString() {
        if (whole) {
            return layer + ": the whole image";
        }
        return String.format(Locale.ROOT, "%s: %d×%d input pixels per position, stride %d×%d, start (%d, %d)%s",
                layer, sizeY, sizeX, strideY, strideX, startY, startX, approximate ? " (approximate)" : "");
    }

}
