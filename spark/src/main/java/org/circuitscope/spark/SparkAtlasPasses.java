package org.circuitscope.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.circuitscope.activations.Reduce;
import org.circuitscope.atlas.DatasetPasses;
import org.circuitscope.data.ImageSource;
import org.circuitscope.examples.Example;
import org.circuitscope.examples.ExamplesResult;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Unit;

/**
 * An atlas's dataset side on Spark: the top and bottom examples of each batch of units are two jobs over
 * {@code images} (exact per-partition heaps merged), a layer's per-image maxima one more (activations reduced by
 * maximum), and only the few example images are read again here, on the driver, to draw their crops.
 *
 * <pre>{@code
 * try (SparkJobs jobs = SparkJobs.master("spark://host:7077")) {
 *     ModelBytes bytes = ModelBytes.onnx(file);
 *     ImageFolder folder = ImageFolder.of(dir);
 *     Atlas.of(bytes.load()).data(folder).passes(SparkAtlasPasses.of(jobs, bytes, SparkImages.files(folder)))
 *         .write(Path.of("atlas"));
 * }
 * }</pre>
 *
 * {@code images} must be the atlas's data in its order (the same ids), as {@link SparkImages} gives a folder or the
 * organism's world; the pages then equal the single-JVM atlas's.
 */
public final class SparkAtlasPasses implements DatasetPasses {
    private final SparkJobs jobs;
    private final ModelBytes model;
    private final List<SparkImage> images;
    private final Map<Long, SparkImage> byIndex = new HashMap<>();

    private SparkAtlasPasses(SparkJobs jobs, ModelBytes model, List<SparkImage> images) {
        this.jobs = jobs;
        this.model = model;
        this.images = List.copyOf(images);
        for (SparkImage i : this.images) {
            byIndex.put(i.index(), i);
        }
    }

    public static SparkAtlasPasses of(SparkJobs jobs, ModelBytes model, List<SparkImage> images) {
        return new SparkAtlasPasses(jobs, model, images);
    }

    @Override
    public Examples examples(Model m, List<Unit.Channel> units, int k, ImageSource data, int limit) {
        check(m);
        String source = (limit >= 0 ? data.limit(limit) : data).name();
        List<String> names = units.stream().map(Unit::toString).toList();
        return new Examples(convert(m, units, jobs.examples(model, part(limit), names, k, false), source),
                convert(m, units, jobs.examples(model, part(limit), names, k, true), source));
    }

    @Override
    public LayerMaxima maxima(Model m, String layer, ImageSource data, int limit) {
        check(m);
        Results.Activations acts = jobs.activations(model, part(limit), List.of(layer), Reduce.MAX);
        return LayerMaxima.of(layer, (int) m.layers().get(layer).channels(), acts.ids(), acts::column);
    }

    private void check(Model m) {
        if (!m.name().equals(model.name())) {
            throw new ModelException("the atlas draws model '" + m.name() + "' but its Spark passes were given '"
                    + model.name() + "'");
        }
    }

    private List<SparkImage> part(int limit) {
        return limit >= 0 && limit < images.size() ? images.subList(0, limit) : images;
    }

    private List<ExamplesResult> convert(Model m, List<Unit.Channel> units, List<Results.Examples> found,
                                         String source) {
        List<ExamplesResult> out = new ArrayList<>();
        for (int u = 0; u < units.size(); u++) {
            Results.Examples r = found.get(u);
            List<Example> ex = new ArrayList<>();
            int rank = 1;
            for (Results.Example e : r.examples()) {
                ex.add(new Example(rank++, e.id(), e.label(), e.value(), e.y(), e.x(), e.box(),
                        m.input().picture(read(e.index()))));
            }
            out.add(ExamplesResult.of(m, units.get(u), Unit.parse(r.unitRead()), r.negative(), ex, r.imagesSeen(),
                    r.problems(), source));
        }
        return out;
    }

    private java.awt.image.BufferedImage read(long index) {
        try {
            return byIndex.get(index).read().image();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read image " + byIndex.get(index).id() + " again on the driver: "
                    + e.getMessage(), e);
        }
    }
}
