package org.circuitscope.featurevis;

/**
 * Adam on a flat float vector held on the Java heap (β1 0.9, β2 0.999, ε 1e-8, as TensorFlow's and PyTorch's
 * defaults). Gradient ascent: {@link #ascend} moves the parameters up the gradient.
 */
public final class Adam {
    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final float[] m;
    private final float[] v;
    private int t;

    public Adam(double lr, int size) {
        this(lr, 0.9, 0.999, 1e-8, size);
    }

    public Adam(double lr, double beta1, double beta2, double eps, int size) {
        if (!(lr > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, not " + lr);
        }
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.m = new float[size];
        this.v = new float[size];
    }

    /** One step up the gradient {@code grad} of the objective, changing {@code params} in place. */
    public void ascend(float[] params, float[] grad) {
        t++;
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        double stepSize = lr * Math.sqrt(c2) / c1;
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float epsHat = (float) (eps * Math.sqrt(c2));
        for (int i = 0; i < params.length; i++) {
            float g = grad[i];
            if (!Float.isFinite(g)) {
                g = 0;
            }
            m[i] = b1 * m[i] + (1 - b1) * g;
            v[i] = b2 * v[i] + (1 - b2) * g * g;
            params[i] += (float) (stepSize * m[i] / (Math.sqrt(v[i]) + epsHat));
        }
    }

    /**
     * Forgets the moments of parameters {@code from} (inclusive) to {@code to} (exclusive): for parameters that
     * were just re-initialised (a sparse autoencoder's resampled latents), whose old moments no longer apply.
     */
    public void reset(int from, int to) {
        java.util.Arrays.fill(m, from, to, 0f);
        java.util.Arrays.fill(v, from, to, 0f);
    }

    public int steps() {
        return t;
    }
}
