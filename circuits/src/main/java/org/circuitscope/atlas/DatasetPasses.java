package org.circuitscope.atlas;

import java.util.ArrayList;
import java.util.List;
import org.circuitscope.activations.ActivationResult;
import org.circuitscope.activations.Activations;
import org.circuitscope.activations.Reduce;
import org.circuitscope.data.ImageSource;
import org.circuitscope.examples.DatasetExamples;
import org.circuitscope.examples.ExamplesResult;
import org.circuitscope.model.Model;
import org.circuitscope.model.Unit;
import org.circuitscope.progress.Progress;

/**
 * Where an atlas reads its dataset side for a batch of units of one layer: the top and bottom examples of each unit
 * and every image's maximum of it (the histogram and the levels). {@link #IN_JVM} runs them here, one batch after
 * another; the Spark module's passes run them on a cluster and give the same results, so the pages do not depend on
 * where they were computed.
 */
public interface DatasetPasses {
    /**
     * The passes over {@code data} (its first {@code limit} images; all when negative) for {@code units}, all
     * channels of one layer, with {@code k} examples on each side.
     */
    Passes run(Model model, List<Unit.Channel> units, int k, ImageSource data, int limit);

    /**
     * What the passes found: {@code top.get(i)}, {@code bottom.get(i)} and {@code maxima.get(i)} belong to unit i;
     * {@code maxima.get(i)[j]} is its maximum over positions on image {@code ids.get(j)}, in the data's order.
     */
    record Passes(List<ExamplesResult> top, List<ExamplesResult> bottom, List<String> ids, List<float[]> maxima) {
        public Passes {
            if (top.size() != maxima.size() || bottom.size() != maxima.size()) {
                throw new IllegalArgumentException("passes for " + maxima.size() + " units gave " + top.size()
                        + " top and " + bottom.size() + " bottom example lists");
            }
            for (float[] m : maxima) {
                if (m.length != ids.size()) {
                    throw new IllegalArgumentException("maxima of " + m.length + " images for " + ids.size()
                            + " image ids");
                }
            }
            top = List.copyOf(top);
            bottom = List.copyOf(bottom);
            ids = List.copyOf(ids);
            maxima = List.copyOf(maxima);
        }
    }

    /** The passes in this JVM: {@link DatasetExamples} on each side and {@link Activations} reduced by maximum. */
    DatasetPasses IN_JVM = (model, units, k, data, limit) -> {
        List<Unit> us = List.copyOf(units);
        List<ExamplesResult> top = DatasetExamples.of(model, us).k(k).limit(limit).runAll(data, Progress.NONE);
        List<ExamplesResult> bottom = DatasetExamples.of(model, us).k(k).negative(true).limit(limit)
                .runAll(data, Progress.NONE);
        String layer = units.get(0).layer();
        ActivationResult acts = Activations.of(model).layers(layer).reduce(Reduce.MAX).limit(limit).run(data);
        List<float[]> maxima = new ArrayList<>();
        for (Unit.Channel u : units) {
            maxima.add(acts.column(u.toString()));
        }
        return new Passes(top, bottom, acts.ids(), maxima);
    };
}
