package org.circuitscope.spark;

/**
 * A distributed job that did not complete: a partition kept failing after Spark's retries
 * ({@code spark.task.maxFailures}), or the partitions did not account for every input. The message names the job,
 * the partition and what it held (images, units or models); no partial result is returned.
 */
public final class SparkJobException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SparkJobException(String message, Throwable cause) {
        super(message, cause);
    }
}
