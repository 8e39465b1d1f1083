package org.circuitscope.spark;

import java.util.List;

/**
 * Thrown by a task whose partition failed, naming the partition and the images it held, so that the error the
 * driver finally reports (after Spark's retries) says which data were not processed. Serializable, as every
 * exception a task throws must be.
 */
final class PartitionFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int partition;
    private final String what;

    PartitionFailure(int partition, int partitions, int attempt, String what, Throwable cause) {
        super("partition " + partition + " of " + partitions + " (" + what + ") failed on attempt " + (attempt + 1)
                + ": " + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": "
                + cause.getMessage()), cause);
        this.partition = partition;
        this.what = what;
    }

    int partition() {
        return partition;
    }

    String what() {
        return what;
    }

    /** "images 53..105 (scene-53 … scene-105, 53 images)": what a partition of images held. */
    static String images(List<SparkImage> images) {
        if (images.isEmpty()) {
            return "no images";
        }
        SparkImage first = images.get(0);
        SparkImage last = images.get(images.size() - 1);
        return "images " + first.index() + ".." + last.index() + ": " + first.id()
                + (images.size() > 1 ? " … " + last.id() : "") + ", " + images.size() + " images";
    }
}
