package org.circuitscope.model;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Something in a layer that can be looked at: a whole channel (the mean over positions is its activation), one
 * neuron (a channel at one position), or a direction in the layer's channel space. Printed and parsed as
 * {@code layer:channel} and {@code layer:channel@y,x}.
 */
public sealed interface Unit permits Unit.Channel, Unit.Neuron, Unit.Direction {

    String layer();

    static Channel channel(String layer, int channel) {
        return new Channel(layer, channel);
    }

    static Neuron neuron(String layer, int channel, int y, int x) {
        return new Neuron(layer, channel, y, x);
    }

    static Direction direction(String layer, float[] vector) {
        return new Direction(layer, vector);
    }

    /** Parses {@code layer:channel} or {@code layer:channel@y,x}; layer names may themselves contain ':' or '/'. */
    static Unit parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new ModelException("'" + text + "' is not a unit: write layer:channel (e.g. fire4/concat:12) or "
                    + "layer:channel@y,x (e.g. conv3:5@7,7)");
        }
        int c = Integer.parseInt(m.group(2));
        if (m.group(3) == null) {
            return new Channel(m.group(1), c);
        }
        return new Neuron(m.group(1), c, Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)));
    }

    Pattern FORM = Pattern.compile("(.+):(\\d+)(?:@(\\d+),(\\d+))?");

    record Channel(String layer, int channel) implements Unit {
        public Channel {
            if (channel < 0) {
                throw new ModelException("channel index must be 0 or more, not " + channel);
            }
        }

        @Override
        public String toString() {
            return layer + ":" + channel;
        }
    }

    record Neuron(String layer, int channel, int y, int x) implements Unit {
        public Neuron {
            if (channel < 0 || y < 0 || x < 0) {
                throw new ModelException("channel and position must be 0 or more: " + channel + "@" + y + "," + x);
            }
        }

        @Override
        public String toString() {
            return layer + ":" + channel + "@" + y + "," + x;
        }
    }

    record Direction(String layer, float[] vector) implements Unit {
        public Direction {
            vector = vector.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Direction d && d.layer.equals(layer) && Arrays.equals(d.vector, vector);
        }

        @Override
        public int hashCode() {
            return layer.hashCode() * 31 + Arrays.hashCode(vector);
        }

        @Override
        public String toString() {
            return layer + ":direction[" + vector.length + "]";
        }
    }
}
