package org.circuitscope.dictionary;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Principal components of activation vectors, from the SVD of their covariance on ND4J (LAPACK's gesvd): the
 * dense, orthogonal baseline a sparse dictionary is compared with. Each component's sign is fixed so that its
 * largest entry is positive, so a fit is reproducible.
 */
public final class Pca {
    private Pca() {
    }

    /** The mean (C) and the first {@code k} components (k×C, unit rows, by decreasing variance). */
    public record Fit(INDArray mean, INDArray components, INDArray variances) {
    }

    public static Fit fit(INDArray x, int k) {
        Nd4jSetup.ensure();
        long n = x.rows();
        long c = x.columns();
        if (k < 1 || k > c) {
            throw new org.circuitscope.model.ModelException("PCA gives 1 to " + c + " components for " + c
                    + " channels, not " + k);
        }
        INDArray mean = x.mean(0).reshape(1, c);
        INDArray centred = x.subRowVector(mean);
        INDArray cov = centred.transpose().mmul(centred).divi(Math.max(1, n - 1)).castTo(
                org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        INDArray s = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.DOUBLE, c);
        INDArray u = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.DOUBLE, new long[] {c, c}, 'f');
        INDArray vt = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.DOUBLE, new long[] {c, c}, 'f');
        Nd4j.getBlasWrapper().lapack().gesvd(cov.dup('f'), s, u, vt);
        double[][] comps = new double[k][];
        for (int i = 0; i < k; i++) {
            double[] row = vt.getRow(i).dup().toDoubleVector();
            int arg = 0;
            for (int j = 1; j < row.length; j++) {
                if (Math.abs(row[j]) > Math.abs(row[arg])) {
                    arg = j;
                }
            }
            if (row[arg] < 0) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = -row[j];
                }
            }
            comps[i] = row;
        }
        INDArray components = Nd4j.create(comps).castTo(x.dataType());
        return new Fit(mean.reshape(c), components, s.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, k))
                .castTo(x.dataType()));
    }
}
