package org.circuitscope.kernel.magic;

import java.util.List;

/** Where %jars, %classpath and %maven put what they find: the classpath of the notebook's code. */
public interface ClasspathTarget {

    void addToClasspath(String path);

    /** What was added so far, in order. */
    List<String> addedClasspath();
}
