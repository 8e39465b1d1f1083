package org.circuitscope.atlas;

import java.util.Optional;
import java.util.ServiceLoader;
import org.circuitscope.data.ImageSource;

/**
 * A cluster engine that can run an atlas's {@link DatasetPasses}, found with {@link ServiceLoader} when its module
 * is on the class path (the Spark module provides one), so the atlas command reaches a cluster without the engine
 * depending on it.
 */
public interface ClusterPasses {
    /**
     * Opens the engine at {@code master} (a Spark master URL: {@code local[2]}, {@code spark://host:7077},
     * {@code yarn}, ...) for {@code model} (an embedded name or a model file, as {@code Models.load} takes it) over
     * {@code data}; closing the session releases the cluster's resources.
     */
    Session open(String master, String model, ImageSource data);

    /** An open engine: its passes, valid until closed. */
    interface Session extends AutoCloseable {
        DatasetPasses passes();

        @Override
        void close();
    }

    /** The engine on the class path, if any. */
    static Optional<ClusterPasses> find() {
        return ServiceLoader.load(ClusterPasses.class).findFirst();
    }
}
