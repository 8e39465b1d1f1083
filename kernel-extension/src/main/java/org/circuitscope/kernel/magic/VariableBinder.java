package org.circuitscope.kernel.magic;

/** Declares a notebook variable holding a value. */
@FunctionalInterface
public interface VariableBinder {
    void bind(String name, String javaType, Object value) throws Exception;
}
