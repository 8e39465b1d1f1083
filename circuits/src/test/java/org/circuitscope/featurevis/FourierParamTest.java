package org.circuitscope.featurevis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;
import org.circuitscope.featurevis.param.ImageParam;
import org.circuitscope.featurevis.param.ImageParams;
import org.circuitscope.model.DjlSetup;
import org.junit.jupiter.api.Test;

/** The Fourier parameterisation's inverse FFT and its hand-written adjoint agree: ⟨L p, g⟩ = ⟨p, Lᵀ g⟩. */
class FourierParamTest {

    @Test
    void adjointMatchesForward() {
        for (int[] size : new int[][] {{12, 12}, {9, 14}, {16, 11}}) {
            int h = size[0];
            int w = size[1];
            ImageParam.Instance inst = ImageParams.fourier().create(2, h, w, new Random(1), List.of());
            ImageParam.LinearStage stage = inst.linearStage();
            try (NDManager m = DjlSetup.engine().newBaseManager()) {
                Random r = new Random(h * 31 + w);
                float[] pv = new float[inst.values().length];
                for (int i = 0; i < pv.length; i++) {
                    pv[i] = (float) r.nextGaussian();
                }
                float[] gv = new float[2 * 3 * h * w];
                for (int i = 0; i < gv.length; i++) {
                    gv[i] = (float) r.nextGaussian();
                }
                NDArray p = m.create(pv, new Shape(inst.shape()));
                NDArray g = m.create(gv, new Shape(2, 3, h, w));
                NDArray t = stage.forward(p);
                assertEquals(new Shape(2, 3, h, w), t.getShape());
                double lhs = t.mul(g).sum().getFloat();
                // irfft ignores the imaginary parts of the DC and Nyquist columns: the adjoint gives them zero
                double rhs = p.mul(stage.adjoint(g)).sum().getFloat();
                assertEquals(lhs, rhs, 1e-3 * Math.max(1, Math.abs(lhs)), h + "x" + w);
            }
        }
    }

    @Test
    void oneOverFSpectrumStartsWithEqualEnergyPerFrequency() {
        ImageParam.Instance inst = ImageParams.fourier(false, 1).create(1, 32, 32, new Random(3), List.of());
        try (NDManager m = DjlSetup.engine().newBaseManager()) {
            NDArray t = inst.linearStage().forward(m.create(inst.values(), new Shape(inst.shape())));
            float[] v = t.toFloatArray();
            double sd = 0;
            for (float f : v) {
                sd += f * f;
            }
            sd = Math.sqrt(sd / v.length);
            // Lucid's init: sd 0.01 per coefficient, scaled by sqrt(HW)/(4·f): a small, non-degenerate image
            assertTrue(sd > 1e-3 && sd < 1, "pre-sigmoid sd " + sd);
        }
    }
}
