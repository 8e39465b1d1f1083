package org.circuitscope.kernel.jshell;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Passes a Java object from the kernel into a JShell variable: snippet code can only name values, so the kernel parks
 * the object here under a fresh key and the declaring snippet takes it back out.
 */
public final class ValueHandoff {
    private static final Map<String, Object> PARKED = new ConcurrentHashMap<>();

    private ValueHandoff() {
    }

    /**
     * Java source that declares {@code javaType name} holding {@code value}; evaluating it (once) binds the variable.
     */
    public static String declaration(String name, String javaType, Object value) {
        if (!javax.lang.model.SourceVersion.isIdentifier(name) || javax.lang.model.SourceVersion.isKeyword(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a Java variable name");
        }
        return javaType + " " + name + " = (" + javaType + ") " + ValueHandoff.class.getName() + ".take(\""
                + park(value) + "\");";
    }

    static String park(Object value) {
        String key = UUID.randomUUID().toString();
        PARKED.put(key, value == null ? NULL : value);
        return key;
    }

    /** Called from the declaring snippet. */
    public static Object take(String key) {
        Object v = PARKED.remove(key);
        return v == NULL ? null : v;
    }

    private static final Object NULL = new Object();
}
