package org.circuitscope.model;

import ai.djl.ndarray.NDManager;

/**
 * The native manager that holds a network's weights, shared by the models derived from one load
 * ({@link Model#withInput}, {@link Model#withLabels}): it is closed when the last of them closes, so closing the
 * model a derived one came from never pulls the weights from under it.
 */
final class SharedWeights {
    private final NDManager manager;
    private int users = 1;

    SharedWeights(NDManager manager) {
        this.manager = manager;
    }

    NDManager manager() {
        return manager;
    }

    synchronized void retain() {
        if (users == 0) {
            throw new ModelException("the model's weights are already freed");
        }
        users++;
    }

    synchronized void release() {
        if (--users == 0) {
            manager.close();
        }
    }
}
