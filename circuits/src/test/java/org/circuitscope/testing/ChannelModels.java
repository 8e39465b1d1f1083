package org.circuitscope.testing;

import static org.circuitscope.onnx.TestGraphs.integer;
import static org.circuitscope.onnx.TestGraphs.ints;
import static org.circuitscope.onnx.TestGraphs.list;

import org.circuitscope.onnx.TestGraphs;

/**
 * Small ONNX CNNs that take other than three input channels: a grayscale (MNIST-style, 1 channel) one and a
 * 4-channel (RGBA or RGB plus depth) one, with random weights. Both have the same structure so that every
 * instrument has something to look at: two convolutions, a max pool, a residual block of two convolutions, global
 * average pooling and a 10-class classifier.
 *
 * <p>Layer names: {@code conv1 relu1 conv2 relu2 pool1 conv3 relu3 conv4 relu4 block gap flat logits prob}.
 */
public final class ChannelModels {
    /** The input's height and width. */
    public static final int SIZE = 32;

    private ChannelModels() {
    }

    /** A grayscale CNN (input 1×1×32×32). */
    public static byte[] grey() {
        return cnn(1, 11);
    }

    /** A four-channel CNN (input 1×4×32×32). */
    public static byte[] fourChannels() {
        return cnn(4, 12);
    }

    /** The network for {@code channels} input channels, weights drawn from {@code seed}. */
    public static byte[] cnn(int channels, long seed) {
        TestGraphs g = new TestGraphs(seed).input("image", 1, channels, SIZE, SIZE);
        conv(g, "conv1", "image", channels, 8);
        g.node("Relu", "conv1", "relu1");
        conv(g, "conv2", "relu1", 8, 8);
        g.node("Relu", "conv2", "relu2");
        g.node("MaxPool", "relu2", "pool1", ints("kernel_shape", 2, 2), ints("strides", 2, 2));
        conv(g, "conv3", "pool1", 8, 12);
        g.node("Relu", "conv3", "relu3");
        conv(g, "conv4", "relu3", 12, 12);
        g.node("Relu", "conv4", "relu4");
        g.node("Add", list("relu4", "relu3"), list("block"));
        g.node("GlobalAveragePool", "block", "gap");
        g.node("Flatten", "gap", "flat", integer("axis", 1));
        g.weight("fc_w", 10, 12).weight("fc_b", 10);
        g.node("Gemm", list("flat", "fc_w", "fc_b"), list("logits"), integer("transB", 1));
        g.node("Softmax", "logits", "prob", integer("axis", 1));
        return g.output("prob").bytes();
    }

    private static void conv(TestGraphs g, String name, String input, int in, int out) {
        g.weight(name + "_w", out, in, 3, 3).weight(name + "_b", out);
        g.node("Conv", list(input, name + "_w", name + "_b"), list(name), ints("kernel_shape", 3, 3),
                ints("pads", 1, 1, 1, 1));
    }
}
