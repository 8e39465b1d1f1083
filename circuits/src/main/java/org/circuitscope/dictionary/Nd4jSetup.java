package org.circuitscope.dictionary;

import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J as circuitscope uses it: for analysis arrays in cells (activation matrices, NMF, PCA, k-means), never to run
 * models. Its native backend and OpenBLAS start their own thread pools; on a small machine those fight libtorch's
 * for the same cores, so they are held to a few threads ({@code circuitscope.nd4j.threads}, default 1).
 */
public final class Nd4jSetup {
    private static volatile boolean done;

    private Nd4jSetup() {
    }

    /** Initialises ND4J once with its thread limits; call before creating ND4J arrays. */
    public static synchronized void ensure() {
        if (done) {
            return;
        }
        int threads = Integer.getInteger("circuitscope.nd4j.threads", 1);
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        done = true;
    }

    /** The threads ND4J's own loops may use. */
    public static int threads() {
        ensure();
        return Nd4j.getEnvironment().maxThreads();
    }
}
