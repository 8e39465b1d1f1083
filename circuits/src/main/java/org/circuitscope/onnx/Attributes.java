package org.circuitscope.onnx;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.circuitscope.graph.GraphException;
import org.circuitscope.onnx.proto.Onnx.AttributeProto;
import org.circuitscope.onnx.proto.Onnx.NodeProto;
import org.circuitscope.onnx.proto.Onnx.TensorProto;

/** A node's attributes by name, with the defaults the ONNX operator specification gives. */
final class Attributes {
    private final String node;
    private final Map<String, AttributeProto> byName = new HashMap<>();

    Attributes(NodeProto node) {
        this.node = node.getName().isEmpty() ? String.join(",", node.getOutputList()) : node.getName();
        for (AttributeProto a : node.getAttributeList()) {
            byName.put(a.getName(), a);
        }
    }

    boolean has(String name) {
        return byName.containsKey(name);
    }

    long getInt(String name, long defaultValue) {
        AttributeProto a = byName.get(name);
        return a == null ? defaultValue : a.getI();
    }

    float getFloat(String name, float defaultValue) {
        AttributeProto a = byName.get(name);
        return a == null ? defaultValue : a.getF();
    }

    String getString(String name, String defaultValue) {
        AttributeProto a = byName.get(name);
        return a == null ? defaultValue : a.getS().toStringUtf8();
    }

    long[] getInts(String name, long[] defaultValue) {
        AttributeProto a = byName.get(name);
        if (a == null) {
            return defaultValue;
        }
        List<Long> l = a.getIntsList();
        long[] r = new long[l.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = l.get(i);
        }
        return r;
    }

    float[] getFloats(String name, float[] defaultValue) {
        AttributeProto a = byName.get(name);
        if (a == null) {
            return defaultValue;
        }
        float[] r = new float[a.getFloatsCount()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.getFloats(i);
        }
        return r;
    }

    TensorProto getTensor(String name) {
        AttributeProto a = byName.get(name);
        return a == null ? null : a.getT();
    }

    /**
     * The integer attributes (INT as a one-element array, INTS as they are), for reading outside the bound op;
     * a string {@code auto_pad} other than NOTSET is recorded as the key {@code auto_pad=VALUE} with no values.
     */
    Map<String, long[]> integers() {
        Map<String, long[]> r = new HashMap<>();
        for (AttributeProto a : byName.values()) {
            if (a.getType() == AttributeProto.AttributeType.INT) {
                r.put(a.getName(), new long[] {a.getI()});
            } else if (a.getType() == AttributeProto.AttributeType.INTS) {
                r.put(a.getName(), getInts(a.getName(), new long[0]));
            } else if (a.getName().equals("auto_pad") && !a.getS().toStringUtf8().equals("NOTSET")) {
                r.put("auto_pad=" + a.getS().toStringUtf8(), new long[0]);
            }
        }
        return r;
    }

    long[] requireInts(String name) {
        long[] v = getInts(name, null);
        if (v == null) {
            throw new GraphException("node '" + node + "' lacks the required attribute '" + name + "'");
        }
        return v;
    }
}
