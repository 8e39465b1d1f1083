package org.circuitscope.graph;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.circuitscope.tensor.Tensor;

/**
 * The typed attributes of a node in circuitscope's op vocabulary: integers, integer lists, floats, float lists,
 * strings and tensors, by name. Importers translate their format's attributes into these (ONNX names and
 * conventions, see {@link org.circuitscope.ops.OpSet}); every consumer reads them through the getters, which
 * return copies and take the fallback for an absent attribute.
 */
public final class Attributes {
    public static final Attributes NONE = new Attributes(Map.of());

    private final Map<String, Object> values;

    private Attributes(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts with these attributes. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.values.putAll(values);
        return b;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public Set<String> names() {
        return values.keySet();
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** An integer attribute; a one-element list counts as its element. */
    public long getInt(String name, long fallback) {
        Object v = values.get(name);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof long[] a && a.length == 1) {
            return a[0];
        }
        throw wrongType(name, "an integer");
    }

    public long[] getInts(String name, long[] fallback) {
        Object v = values.get(name);
        if (v == null) {
            return fallback;
        }
        if (v instanceof long[] a) {
            return a.clone();
        }
        if (v instanceof Long l) {
            return new long[] {l};
        }
        throw wrongType(name, "a list of integers");
    }

    /** A float attribute; an integer attribute is read as a float. */
    public float getFloat(String name, float fallback) {
        Object v = values.get(name);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Float f) {
            return f;
        }
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof float[] a && a.length == 1) {
            return a[0];
        }
        throw wrongType(name, "a float");
    }

    public float[] getFloats(String name, float[] fallback) {
        Object v = values.get(name);
        if (v == null) {
            return fallback;
        }
        if (v instanceof float[] a) {
            return a.clone();
        }
        if (v instanceof Float f) {
            return new float[] {f};
        }
        throw wrongType(name, "a list of floats");
    }

    public String getString(String name, String fallback) {
        Object v = values.get(name);
        if (v == null) {
            return fallback;
        }
        if (v instanceof String s) {
            return s;
        }
        throw wrongType(name, "a string");
    }

    public Tensor getTensor(String name) {
        Object v = values.get(name);
        if (v == null || v instanceof Tensor) {
            return (Tensor) v;
        }
        throw wrongType(name, "a tensor");
    }

    /** A required integer list; absent, it fails naming the attribute. */
    public long[] requireInts(String name) {
        long[] v = getInts(name, null);
        if (v == null) {
            throw new GraphException("lacks the required attribute '" + name + "'");
        }
        return v;
    }

    private GraphException wrongType(String name, String expected) {
        return new GraphException("attribute '" + name + "' should be " + expected + ", not " + show(values.get(name)));
    }

    private static String show(Object v) {
        if (v instanceof long[] a) {
            return Arrays.toString(a);
        }
        if (v instanceof float[] a) {
            return Arrays.toString(a);
        }
        if (v instanceof String s) {
            return "'" + s + "'";
        }
        return String.valueOf(v);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(e.getKey()).append('=').append(show(e.getValue()));
        }
        return sb.append('}').toString();
    }

    /** Collects attributes; setting a name again replaces it. */
    public static final class Builder {
        private final Map<String, Object> values = new LinkedHashMap<>();

        public Builder set(String name, long value) {
            values.put(name, value);
            return this;
        }

        public Builder set(String name, long... value) {
            values.put(name, value.clone());
            return this;
        }

        public Builder set(String name, float value) {
            values.put(name, value);
            return this;
        }

        public Builder set(String name, float... value) {
            values.put(name, value.clone());
            return this;
        }

        public Builder set(String name, String value) {
            values.put(name, value);
            return this;
        }

        public Builder set(String name, Tensor value) {
            values.put(name, value);
            return this;
        }

        public Builder remove(String name) {
            values.remove(name);
            return this;
        }

        public Attributes build() {
            return values.isEmpty() ? NONE : new Attributes(new LinkedHashMap<>(values));
        }
    }
}
