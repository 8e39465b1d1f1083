package org.circuitscope.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.circuitscope.atlas.ClusterPasses;
import org.circuitscope.atlas.DatasetPasses;
import org.circuitscope.data.ImageSource;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Models;

/**
 * The atlas command's way to Spark ({@code atlas --master URL}, found by {@link ClusterPasses#find()}): the jobs on
 * that master, the model's ONNX bytes broadcast, and the data as {@link SparkImages#of(ImageSource)} gives it.
 */
public final class SparkClusterPasses implements ClusterPasses {
    @Override
    public Session open(String master, String model, ImageSource data) {
        ModelBytes bytes = bytes(model);
        List<SparkImage> images = SparkImages.of(data);
        SparkJobs jobs = SparkJobs.master(master);
        DatasetPasses passes = SparkAtlasPasses.of(jobs, bytes, images);
        return new Session() {
            @Override
            public DatasetPasses passes() {
                return passes;
            }

            @Override
            public void close() {
                jobs.close();
            }
        };
    }

    /** The organism or an ONNX file: what the executors can load from bytes alone. */
    static ModelBytes bytes(String model) {
        String key = model.trim();
        if (key.toLowerCase(Locale.ROOT).equals(Models.DEFAULT)) {
            return ModelBytes.organism();
        }
        Path p = Path.of(key);
        if (key.toLowerCase(Locale.ROOT).endsWith(".onnx") && Files.exists(p)) {
            return ModelBytes.onnx(p);
        }
        throw new ModelException("the atlas's Spark passes take the organism or an .onnx file, not '" + model
                + "' (convert other formats to ONNX, or leave out --master to run the passes here)");
    }
}
