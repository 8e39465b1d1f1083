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
 * Where an atlas reads its dataset side: the top and bottom examples of each batch of units, and every image's
 * maximum of every channel of a layer (the histograms and the levels), which one pass over the data gives for the
 * whole layer. {@link #IN_JVM} runs them here, one batch after another; the Spark module's passes run them on a
 * cluster and give the same results, so the pages do not depend on where they were computed.
 */
public interface DatasetPasses {
    /**
     * The top and bottom examples of {@code units} (channels of one layer), {@code k} on each side, over the first
     * {@code limit} images of {@code data} (all when negative).
     */
    Examples examples(Model model, List<Unit.Channel> units, int k, ImageSource data, int limit);

    /** Each image's maximum over positions of every channel of {@code layer}, over the same images. */
    LayerMaxima maxima(Model model, String layer, ImageSource data, int limit);

    /** Both passes for one batch of units, as a test or a one-off call wants them. */
    default Passes run(Model model, List<Unit.Channel> units, int k, ImageSource data, int limit) {
        return examples(model, units, k, data, limit).with(maxima(model, units.get(0).layer(), data, limit), units);
    }

    /** {@code top.get(i)} and {@code bottom.get(i)} belong to unit i of the batch asked for. */
    record Examples(List<ExamplesResult> top, List<ExamplesResult> bottom) {
        public Examples {
            if (top.size() != bottom.size()) {
                throw new IllegalArgumentException(top.size() + " top but " + bottom.size() + " bottom example lists");
            }
            top = List.copyOf(top);
            bottom = List.copyOf(bottom);
        }

        /** These examples with the maxima of their units picked out of the layer's. */
        public Passes with(LayerMaxima m, List<Unit.Channel> units) {
            List<float[]> maxima = new ArrayList<>();
            for (Unit.Channel u : units) {
                maxima.add(m.of(u));
            }
            return new Passes(top, bottom, m.ids(), maxima);
        }
    }

    /**
     * {@code channels.get(c)[j]} is channel c's maximum over positions on image {@code ids.get(j)}, in the data's
     * order.
     */
    record LayerMaxima(String layer, List<String> ids, List<float[]> channels) {
        public LayerMaxima {
            for (float[] m : channels) {
                if (m.length != ids.size()) {
                    throw new IllegalArgumentException("maxima of " + m.length + " images for " + ids.size()
                            + " image ids");
                }
            }
            ids = List.copyOf(ids);
            channels = List.copyOf(channels);
        }

        /** Read off activations reduced by maximum, whose columns are named as units are ({@code layer:c}). */
        public static LayerMaxima of(String layer, int channels, List<String> ids,
                                     java.util.function.Function<String, float[]> column) {
            List<float[]> out = new ArrayList<>();
            for (int c = 0; c < channels; c++) {
                out.add(column.apply(Unit.channel(layer, c).toString()));
            }
            return new LayerMaxima(layer, ids, out);
        }

        float[] of(Unit.Channel u) {
            if (!u.layer().equals(layer) || u.channel() >= channels.size()) {
                throw new IllegalArgumentException("maxima of " + layer + " (" + channels.size()
                        + " channels) asked for " + u);
            }
            return channels.get(u.channel());
        }
    }

    /**
     * What the passes found for a batch: {@code top.get(i)}, {@code bottom.get(i)} and {@code maxima.get(i)} belong
     * to unit i; {@code maxima.get(i)[j]} is its maximum over positions on image {@code ids.get(j)}.
     */
    record Passes(List<ExamplesResult> top, List<ExamplesResult> bottom, List<String> ids, List<float[]> maxima) {
        public Passes {
            if (top.size() != maxima.size() || bottom.size() != maxima.size()) {
                throw new IllegalArgumentException("passes for " + maxima.size() + " units gave " + top.size()
                        + " top and " + bottom.size() + " bottom example lists");
            }
            top = List.copyOf(top);
            bottom = List.copyOf(bottom);
            ids = List.copyOf(ids);
            maxima = List.copyOf(maxima);
        }
    }

    /** The passes in this JVM: {@link DatasetExamples} on each side and {@link Activations} reduced by maximum. */
    DatasetPasses IN_JVM = new DatasetPasses() {
        @Override
        public Examples examples(Model model, List<Unit.Channel> units, int k, ImageSource data, int limit) {
            List<Unit> us = List.copyOf(units);
            return new Examples(DatasetExamples.of(model, us).k(k).limit(limit).runAll(data, Progress.NONE),
                    DatasetExamples.of(model, us).k(k).negative(true).limit(limit).runAll(data, Progress.NONE));
        }

        @Override
        public LayerMaxima maxima(Model model, String layer, ImageSource data, int limit) {
            ActivationResult acts = Activations.of(model).layers(layer).reduce(Reduce.MAX).limit(limit).run(data);
            return LayerMaxima.of(layer, (int) model.layers().get(layer).channels(), acts.ids(), acts::column);
        }

        @Override
        public String toString() {
            return "dataset passes in this JVM";
        }
    };
}
