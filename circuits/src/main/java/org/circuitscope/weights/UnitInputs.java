package org.circuitscope.weights;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Unit;
import org.circuitscope.tensor.Tensor;

/**
 * The weights into one unit from every channel of an upstream layer: its conv kernels when the layer is the
 * convolution's input, else the expanded weights through the path between them.
 *
 * @param unit     the downstream unit
 * @param from     the upstream layer (its channels are the inputs)
 * @param kernels  cIn×kh×kw
 * @param expanded whether the kernels are expanded weights rather than one convolution's own
 * @param source   where the weights were read ("fire3/conv3x3_2 channel 6" or "expanded through 3 layers")
 */
public record UnitInputs(Unit.Channel unit, String from, Tensor kernels, boolean expanded, String source) {

    /** One input's kernel and its summary numbers: L2 norm, and summed weight (its sign, see {@link Sign}). */
    public record InputWeight(Unit.Channel input, float[] kernel, int kh, int kw, double norm, double sum) {
        public Sign sign() {
            return Sign.of(kernel);
        }
    }

    public int inputChannels() {
        return (int) kernels.dim(0);
    }

    public int kernelHeight() {
        return (int) kernels.dim(1);
    }

    public int kernelWidth() {
        return (int) kernels.dim(2);
    }

    /** The kernel from input channel {@code i} (a copy, row-major kh×kw). */
    public float[] kernel(int i) {
        if (i < 0 || i >= inputChannels()) {
            throw new ModelException("layer '" + from + "' has " + inputChannels() + " channels; there is no input "
                    + "channel " + i);
        }
        int n = kernelHeight() * kernelWidth();
        return Arrays.copyOfRange(kernels.data(), i * n, (i + 1) * n);
    }

    public InputWeight input(int i) {
        float[] k = kernel(i);
        double sq = 0;
        double sum = 0;
        for (float v : k) {
            sq += (double) v * v;
            sum += v;
        }
        return new InputWeight(Unit.channel(from, i), k, kernelHeight(), kernelWidth(), Math.sqrt(sq), sum);
    }

    /**
     * Every input with any weight, strongest (largest L2 norm) first. Channels whose kernel is all zeros are not
     * inputs at all (a grouped or depthwise convolution reads only its group), so they are left out.
     */
    public List<InputWeight> ranked() {
        List<InputWeight> all = new ArrayList<>();
        for (int i = 0; i < inputChannels(); i++) {
            InputWeight w = input(i);
            if (w.norm() > 0) {
                all.add(w);
            }
        }
        all.sort(Comparator.comparingDouble(InputWeight::norm).reversed()
                .thenComparing(w -> w.input().channel()));
        return all;
    }

    /** The {@code n} strongest inputs by L2 norm. */
    public List<InputWeight> top(int n) {
        List<InputWeight> r = ranked();
        return r.subList(0, Math.min(n, r.size()));
    }
}
