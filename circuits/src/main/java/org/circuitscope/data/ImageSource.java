package org.circuitscope.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalInt;

/**
 * A stream of labelled images, read lazily so that sources larger than memory can be walked in batches. Items that
 * cannot be read are not thrown away silently: they are recorded in {@link #problems()} and skipped.
 */
public interface ImageSource extends Iterable<Sample> {

    /** A short human name, for tables and figure captions. */
    String name();

    /** How many samples the source holds, when known without reading it. */
    OptionalInt size();

    /** A fresh pass over the source. */
    @Override
    Iterator<Sample> iterator();

    /** What could not be read in the passes made so far (id and reason), in the order met. */
    default List<String> problems() {
        return List.of();
    }

    /** The distinct labels in a fixed order, when the source knows them up front; empty otherwise. */
    default List<String> labels() {
        return List.of();
    }

    /** The first {@code n} samples of this source (all of them when it holds fewer). */
    default ImageSource limit(int n) {
        return Limited.of(this, n);
    }

    /** Reads the next up-to-{@code n} samples of an iterator: the unit of work for batched model runs. */
    static List<Sample> nextBatch(Iterator<Sample> it, int n) {
        List<Sample> batch = new ArrayList<>(n);
        while (batch.size() < n && it.hasNext()) {
            batch.add(it.next());
        }
        return batch;
    }
}
