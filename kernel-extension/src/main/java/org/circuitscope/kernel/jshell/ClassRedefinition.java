package org.circuitscope.kernel.jshell;

import java.lang.instrument.ClassDefinition;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;

/**
 * Redefines a loaded snippet class in place, as JShell's default (remote, JDI) engine does. When a later snippet
 * changes what earlier ones may resolve to (an import, a redeclared method), JShell recompiles those and asks the
 * engine to redefine their classes; an engine that cannot replaces the classes instead, and every variable in them
 * starts over at null or 0. The kernel JVM runs with this class as its agent ({@code -javaagent:} the kernel jar,
 * as kernel.json starts it), which hands over the JVM's {@link Instrumentation}.
 */
public final class ClassRedefinition {
    private static volatile Instrumentation instrumentation;

    private ClassRedefinition() {
    }

    /** The agent's entry point (manifest {@code Premain-Class}). */
    public static void premain(String args, Instrumentation inst) {
        instrumentation = inst;
    }

    static boolean available() {
        Instrumentation inst = instrumentation;
        return inst != null && inst.isRedefineClassesSupported();
    }

    /**
     * Gives {@code classes[i]} the bytecode {@code bytes[i]}; false when the JVM refuses (the new version adds or
     * removes fields or methods, which redefinition cannot do), and then nothing changed.
     */
    static boolean redefine(Class<?>[] classes, byte[][] bytes) {
        Instrumentation inst = instrumentation;
        if (inst == null) {
            return false;
        }
        ClassDefinition[] definitions = new ClassDefinition[classes.length];
        for (int i = 0; i < classes.length; i++) {
            definitions[i] = new ClassDefinition(classes[i], bytes[i]);
        }
        try {
            inst.redefineClasses(definitions);
            return true;
        } catch (UnsupportedOperationException | ClassNotFoundException | UnmodifiableClassException
                 | LinkageError e) {
            return false;
        }
    }
}
