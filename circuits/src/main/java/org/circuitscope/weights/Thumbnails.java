package org.circuitscope.weights;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.circuitscope.data.ImageSource;
import org.circuitscope.examples.DatasetExamples;
import org.circuitscope.examples.ExamplesResult;
import org.circuitscope.featurevis.FeatureVis;
import org.circuitscope.featurevis.FeatureVisResult;
import org.circuitscope.model.Model;
import org.circuitscope.model.Unit;
import org.circuitscope.progress.Progress;

/**
 * A small picture of what a unit responds to, for labelling weight figures and circuit diagrams: a pluggable
 * {@code Unit → image} function. {@link #none()} draws nothing; {@link #featureVis} optimises an image per unit
 * (batched per layer); {@link #examples} crops the top dataset example's receptive field; {@link #of} wraps any
 * function. Results are cached per unit.
 */
public interface Thumbnails extends Function<Unit, BufferedImage> {

    /** A short name for figure captions ("none", "feature visualisation", …). */
    String description();

    /** Thumbnails for many units at once (implementations batch where they can); missing units map to null. */
    default Map<Unit, BufferedImage> all(Collection<? extends Unit> units, Progress progress) {
        Map<Unit, BufferedImage> out = new LinkedHashMap<>();
        int i = 0;
        for (Unit u : units) {
            if (progress.cancelled()) {
                break;
            }
            progress.update(i++, units.size(), "thumbnail " + u);
            out.put(u, apply(u));
        }
        return out;
    }

    /** No thumbnails: figures show the unit's name only. */
    static Thumbnails none() {
        return new Thumbnails() {
            @Override
            public String description() {
                return "none";
            }

            @Override
            public BufferedImage apply(Unit unit) {
                return null;
            }

            @Override
            public Map<Unit, BufferedImage> all(Collection<? extends Unit> units, Progress progress) {
                Map<Unit, BufferedImage> out = new LinkedHashMap<>();
                units.forEach(u -> out.put(u, null));
                return out;
            }
        };
    }

    /** Any function (e.g. a lookup of precomputed images), cached. */
    static Thumbnails of(String description, Function<Unit, BufferedImage> f) {
        Map<Unit, BufferedImage> cache = new LinkedHashMap<>();
        return new Thumbnails() {
            @Override
            public String description() {
                return description;
            }

            @Override
            public synchronized BufferedImage apply(Unit unit) {
                if (!cache.containsKey(unit)) {
                    cache.put(unit, f.apply(unit));
                }
                return cache.get(unit);
            }
        };
    }

    /**
     * Feature visualisations: {@code steps} optimisation steps at {@code size}×{@code size}, channels of one layer
     * optimised together in one batch.
     */
    static Thumbnails featureVis(Model model, int steps, int size) {
        Map<Unit, BufferedImage> cache = new LinkedHashMap<>();
        return new Thumbnails() {
            @Override
            public String description() {
                return "feature visualisation (" + steps + " steps)";
            }

            @Override
            public synchronized BufferedImage apply(Unit unit) {
                return all(List.of(unit), Progress.NONE).get(unit);
            }

            @Override
            public synchronized Map<Unit, BufferedImage> all(Collection<? extends Unit> units, Progress progress) {
                Map<String, List<Unit.Channel>> byLayer = new LinkedHashMap<>();
                Map<String, List<Unit>> others = new LinkedHashMap<>();
                for (Unit u : units) {
                    if (!cache.containsKey(u) && u instanceof Unit.Channel c) {
                        byLayer.computeIfAbsent(c.layer(), k -> new ArrayList<>()).add(c);
                    } else if (!cache.containsKey(u)) {
                        others.computeIfAbsent(u.layer(), k -> new ArrayList<>()).add(u);
                    }
                }
                int done = 0;
                // features, neurons and directions: their own objectives, one image each, batched per layer
                for (Map.Entry<String, List<Unit>> e : others.entrySet()) {
                    List<Unit> us = e.getValue();
                    for (int start = 0; start < us.size() && !progress.cancelled(); start += 16) {
                        List<Unit> part = us.subList(start, Math.min(us.size(), start + 16));
                        progress.update(done, units.size(), "feature visualisation of " + part.size() + " units of "
                                + e.getKey());
                        org.circuitscope.featurevis.objectives.VisObjective o = null;
                        for (int i = 0; i < part.size(); i++) {
                            var one = org.circuitscope.featurevis.objectives.Objectives.unit(part.get(i)).onImage(i);
                            o = o == null ? one : o.plus(one);
                        }
                        FeatureVisResult r = FeatureVis.of(model).objective(o).batch(part.size()).steps(steps)
                                .size(size).render();
                        for (int i = 0; i < part.size() && i < r.images().size(); i++) {
                            cache.put(part.get(i), r.images().get(i));
                        }
                        done += part.size();
                    }
                }
                for (Map.Entry<String, List<Unit.Channel>> e : byLayer.entrySet()) {
                    if (progress.cancelled()) {
                        break;
                    }
                    List<Unit.Channel> chs = e.getValue();
                    for (int start = 0; start < chs.size(); start += 16) {
                        List<Unit.Channel> part = chs.subList(start, Math.min(chs.size(), start + 16));
                        progress.update(done, units.size(), "feature visualisation of " + part.size() + " units of "
                                + e.getKey());
                        FeatureVisResult r = FeatureVis.sheet(model, e.getKey(),
                                part.stream().mapToInt(Unit.Channel::channel).toArray()).steps(steps).size(size)
                                .render();
                        for (int i = 0; i < part.size() && i < r.images().size(); i++) {
                            cache.put(part.get(i), r.images().get(i));
                        }
                        done += part.size();
                    }
                }
                Map<Unit, BufferedImage> out = new LinkedHashMap<>();
                units.forEach(u -> out.put(u, cache.get(u)));
                return out;
            }
        };
    }

    /** The receptive-field crop of each unit's strongest example in {@code source}. */
    static Thumbnails examples(Model model, ImageSource source) {
        return of("top dataset example from " + source.name(), u -> {
            ExamplesResult r = DatasetExamples.of(model, u).k(1).run(source);
            return r.examples().isEmpty() ? null : r.examples().get(0).crop();
        });
    }
}
