package org.circuitscope.spark;

import java.io.Serializable;

/**
 * Runs at the start of every partition's task, before its work (a seam for fault injection in tests: a hook that
 * throws fails the task as a crash of the job's own code would; one that blocks until interrupted stands for a task
 * killed mid-way). Serialised with the task, so it must be {@link Serializable}.
 */
@FunctionalInterface
interface PartitionHook extends Serializable {
    /** {@code partition} is the partition's index, {@code attempt} Spark's attempt number (0 the first time). */
    void before(int partition, int attempt) throws Exception;

    PartitionHook NONE = (p, a) -> {
    };
}
