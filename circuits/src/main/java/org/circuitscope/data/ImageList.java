package org.circuitscope.data;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;

/** Images already in memory, with optional labels; ids are their indices ("0", "1", …) unless given. */
public final class ImageList implements ImageSource {
    private final String name;
    private final List<Sample> samples;

    private ImageList(String name, List<Sample> samples) {
        this.name = name;
        this.samples = List.copyOf(samples);
    }

    public static ImageList of(List<BufferedImage> images) {
        return of("images", images, null);
    }

    /** @param labels one per image, or null for none */
    public static ImageList of(String name, List<BufferedImage> images, List<String> labels) {
        if (labels != null && labels.size() != images.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + labels.size() + " labels");
        }
        List<Sample> s = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            if (images.get(i) == null) {
                throw new IllegalArgumentException("image " + i + " is null");
            }
            s.add(new Sample(String.valueOf(i), labels == null ? null : labels.get(i), images.get(i)));
        }
        return new ImageList(name, s);
    }

    /** A source over samples already read (e.g. a cached copy of another source). */
    public static ImageList ofSamples(String name, List<Sample> samples) {
        return new ImageList(name, samples);
    }

    /** Reads every sample of {@code source} into memory (for small sources walked many times). */
    public static ImageList copyOf(ImageSource source) {
        List<Sample> all = new ArrayList<>();
        source.forEach(all::add);
        return new ImageList(source.name(), all);
    }

    public List<Sample> samples() {
        return samples;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public OptionalInt size() {
        return OptionalInt.of(samples.size());
    }

    @Override
    public List<String> labels() {
        LinkedHashSet<String> l = new LinkedHashSet<>();
        for (Sample s : samples) {
            if (s.label() != null) {
                l.add(s.label());
            }
        }
        return List.copyOf(l);
    }

    @Override
    public Iterator<Sample> iterator() {
        return samples.iterator();
    }

    @Override
    public String toString() {
        return "ImageList " + name + " (" + samples.size() + " images)";
    }
}
