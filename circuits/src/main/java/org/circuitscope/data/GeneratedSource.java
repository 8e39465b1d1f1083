package org.circuitscope.data;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalInt;
import java.util.function.IntFunction;

/**
 * A source whose images are made on demand by a function of their index: synthetic data sets and stimuli of any
 * size, with nothing held in memory between batches.
 */
public final class GeneratedSource implements ImageSource {
    private final String name;
    private final int count;
    private final IntFunction<Sample> generator;
    private final List<String> labels;

    public GeneratedSource(String name, int count, IntFunction<Sample> generator, List<String> labels) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be 0 or more, not " + count);
        }
        this.name = name;
        this.count = count;
        this.generator = generator;
        this.labels = List.copyOf(labels);
    }

    public static GeneratedSource of(String name, int count, IntFunction<Sample> generator) {
        return new GeneratedSource(name, count, generator, List.of());
    }

    /** The sample at {@code index}, made anew. */
    public Sample get(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("index " + index + " outside 0.." + (count - 1));
        }
        return generator.apply(index);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public OptionalInt size() {
        return OptionalInt.of(count);
    }

    @Override
    public List<String> labels() {
        return labels;
    }

    @Override
    public Iterator<Sample> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public Sample next() {
                if (next >= count) {
                    throw new NoSuchElementException();
                }
                return generator.apply(next++);
            }
        };
    }

    @Override
    public String toString() {
        return "GeneratedSource " + name + " (" + count + " images)";
    }
}
