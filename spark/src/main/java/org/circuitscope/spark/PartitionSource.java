package org.circuitscope.spark;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalInt;
import org.circuitscope.data.ImageSource;
import org.circuitscope.data.Sample;

/**
 * One partition's images as an {@link ImageSource}, so that the engine's own single-JVM jobs (Activations,
 * DatasetExamples) run on it unchanged. Images that cannot be read are skipped and recorded as problems, which the
 * partition returns with its results: nothing is dropped silently. Walked once.
 */
final class PartitionSource implements ImageSource {
    private final List<SparkImage> images;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, Long> indexOf = new HashMap<>();
    private final List<Long> readIndexes = new ArrayList<>();

    PartitionSource(Iterator<SparkImage> it) {
        this.images = new ArrayList<>();
        it.forEachRemaining(images::add);
    }

    @Override
    public String name() {
        return "partition of " + images.size() + " images";
    }

    @Override
    public OptionalInt size() {
        return OptionalInt.empty();
    }

    @Override
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** The dataset index of an image read, by its id. */
    long index(String id) {
        Long i = indexOf.get(id);
        if (i == null) {
            throw new IllegalStateException("no image " + id + " was read in this partition");
        }
        return i;
    }

    /** The dataset indexes of the images read, in the order read. */
    List<Long> readIndexes() {
        return readIndexes;
    }

    int count() {
        return images.size();
    }

    @Override
    public Iterator<Sample> iterator() {
        return new Iterator<>() {
            private int next;
            private Sample ready;

            @Override
            public boolean hasNext() {
                while (ready == null && next < images.size()) {
                    SparkImage img = images.get(next++);
                    try {
                        ready = img.read();
                        indexOf.put(ready.id(), img.index());
                        readIndexes.add(img.index());
                    } catch (Exception e) {
                        problems.add(img.id() + ": unreadable image (" + e.getClass().getSimpleName() + ": "
                                + e.getMessage() + ")");
                    }
                }
                return ready != null;
            }

            @Override
            public Sample next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Sample s = ready;
                ready = null;
                return s;
            }
        };
    }
}
