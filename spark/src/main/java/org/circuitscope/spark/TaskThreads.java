package org.circuitscope.spark;

import ai.djl.pytorch.jni.JniUtils;
import org.apache.spark.TaskContext;

/**
 * A task computes with as many intra-op threads as Spark gave it cores ({@code spark.task.cpus}, 1 by default).
 * Tasks run side by side: in local mode as threads of one JVM sharing one libtorch, on an executor with several
 * cores likewise; a task that also spread each operation over every core would oversubscribe the machine (with
 * each task on libtorch's default of one thread per core, local[2] ran at only 1.46× local[1]). The count is the
 * task thread's own (libtorch's OpenMP thread count is per calling thread) and is given back when the task lets go
 * of its model. ONNX Runtime sessions opened by the task take the same count ({@code OrtExecutor} reads libtorch's).
 */
final class TaskThreads {
    private TaskThreads() {
    }

    /** Sets this task thread's intra-op threads to the task's cores; returns the count to restore (-1: none). */
    static int claim() {
        TaskContext task = TaskContext.get();
        if (task == null) {
            return -1; // the driver, not a task
        }
        int before = JniUtils.getNumThreads();
        JniUtils.setNumThreads(Math.max(1, task.cpus()));
        return before;
    }

    static void restore(int before) {
        if (before > 0 && TaskContext.get() != null) {
            JniUtils.setNumThreads(before);
        }
    }
}
