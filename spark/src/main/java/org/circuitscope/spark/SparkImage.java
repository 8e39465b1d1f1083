package org.circuitscope.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import org.circuitscope.data.ImageFolder;
import org.circuitscope.data.Sample;
import org.circuitscope.organism.World;

/**
 * One image of a distributed dataset, as it travels to an executor: small (a reference or the encoded file, never
 * decoded pixels) and read there, with the same decoders the single-JVM sources use, so both paths see the same
 * pixels. {@link #index} is its place in the whole dataset, which orders results and breaks ties as the single-JVM
 * path does (the earlier image wins).
 */
public sealed interface SparkImage extends Serializable {
    long index();

    String id();

    /** The sample; an image that cannot be read throws, and the partition reports it. */
    Sample read() throws IOException;

    /** Scene {@code index} of the organism's world with this seed (drawn on the executor). */
    record Scene(long index, long seed) implements SparkImage {
        @Override
        public String id() {
            return World.scene(seed, index).id();
        }

        @Override
        public Sample read() {
            return World.scene(seed, index).sample();
        }
    }

    /** An image file's bytes, decoded on the executor as {@link ImageFolder} decodes files. */
    record Encoded(long index, String id, String label, byte[] bytes) implements SparkImage {
        @Override
        public Sample read() throws IOException {
            var img = ImageFolder.decode(bytes);
            if (img == null) {
                throw new IOException("not an image any installed decoder reads");
            }
            return new Sample(id, label, img);
        }
    }

    /** A file on a file system every executor sees (a cluster's shared storage), read there. */
    record File(long index, String id, String label, String path) implements SparkImage {
        @Override
        public Sample read() throws IOException {
            var img = ImageFolder.decode(Path.of(path));
            if (img == null) {
                throw new IOException("not an image any installed decoder reads");
            }
            return new Sample(id, label, img);
        }
    }
}
