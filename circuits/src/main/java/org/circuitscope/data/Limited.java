package org.circuitscope.data;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalInt;

/** The first n samples of another source. */
final class Limited implements ImageSource {
    private final ImageSource source;
    private final int n;

    private Limited(ImageSource source, int n) {
        this.source = source;
        this.n = n;
    }

    static ImageSource of(ImageSource source, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("limit must be 0 or more, not " + n);
        }
        return new Limited(source, n);
    }

    @Override
    public String name() {
        return source.name();
    }

    @Override
    public OptionalInt size() {
        OptionalInt s = source.size();
        return s.isPresent() ? OptionalInt.of(Math.min(n, s.getAsInt())) : OptionalInt.empty();
    }

    @Override
    public List<String> problems() {
        return source.problems();
    }

    @Override
    public List<String> labels() {
        return source.labels();
    }

    @Override
    public Iterator<Sample> iterator() {
        Iterator<Sample> it = source.iterator();
        return new Iterator<>() {
            private int taken;

            @Override
            public boolean hasNext() {
                return taken < n && it.hasNext();
            }

            @Override
            public Sample next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                taken++;
                return it.next();
            }
        };
    }

    @Override
    public String toString() {
        return source + " (first " + n + ")";
    }
}
