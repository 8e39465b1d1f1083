package org.circuitscope.dictionary;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How good a dictionary is on the vectors it was learnt on.
 *
 * @param varianceExplained 1 − Σ‖x − x̂‖² / Σ‖x − x̄‖²
 * @param meanL0            the mean number of non-zero codes per vector
 * @param dead              features whose code is zero on every vector
 * @param vectors           how many vectors these figures are over
 * @param outputChange      the model's class scores with the layer replaced by its reconstruction: mean relative
 *                          L2 change (NaN when not measured)
 * @param top1Agreement     the share of images whose top class the replacement leaves unchanged
 * @param spliceImages      the images those two are over
 * @param partial           whether learning was interrupted
 */
public record Quality(double varianceExplained, double meanL0, int dead, int vectors, double outputChange,
                      double top1Agreement, int spliceImages, boolean partial) {

    static Quality measure(FeatureDictionary d, INDArray x, boolean partial) {
        INDArray xf = x.castTo(DataType.FLOAT);
        INDArray codes = d.encode(xf);
        INDArray recon = d.decode(codes);
        double residual = recon.sub(xf).norm2Number().doubleValue();
        double spread = xf.subRowVector(xf.mean(0).reshape(1, xf.columns())).norm2Number().doubleValue();
        double fve = 1 - residual * residual / Math.max(1e-30, spread * spread);
        INDArray nonZero = org.nd4j.linalg.ops.transforms.Transforms.abs(codes, true).gt(1e-6)
                .castTo(DataType.FLOAT);
        double l0 = nonZero.sum(1).meanNumber().doubleValue();
        float[] fired = nonZero.sum(0).data().asFloat();
        int dead = 0;
        for (float f : fired) {
            dead += f == 0 ? 1 : 0;
        }
        return new Quality(fve, l0, dead, (int) x.rows(), Double.NaN, Double.NaN, 0, partial);
    }

    void write(DataOutputStream out) throws IOException {
        out.writeDouble(varianceExplained);
        out.writeDouble(meanL0);
        out.writeInt(dead);
        out.writeInt(vectors);
        out.writeDouble(outputChange);
        out.writeDouble(top1Agreement);
        out.writeInt(spliceImages);
        out.writeBoolean(partial);
    }

    static Quality read(DataInputStream in) throws IOException {
        return new Quality(in.readDouble(), in.readDouble(), in.readInt(), in.readInt(), in.readDouble(),
                in.readDouble(), in.readInt(), in.readBoolean());
    }

    @Override
    public String toString() {
        return String.format("variance explained %.3f, mean L0 %.2f, %d dead, over %d vectors", varianceExplained,
                meanL0, dead, vectors) + (spliceImages > 0 ? String.format(
                "; spliced into the model: class scores change %.1f%%, top class kept on %.0f%% of %d images",
                100 * outputChange, 100 * top1Agreement, spliceImages) : "") + (partial ? " (interrupted)" : "");
    }
}
