package org.circuitscope.magics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** State that lives as long as a notebook kernel: named objects the magics share, such as loaded models. */
public final class Session {
    private final Map<String, Object> values = new LinkedHashMap<>();

    public synchronized void put(String key, Object value) {
        values.put(key, value);
    }

    public synchronized <T> Optional<T> get(String key, Class<T> type) {
        Object v = values.get(key);
        return type.isInstance(v) ? Optional.of(type.cast(v)) : Optional.empty();
    }

    public synchronized Map<String, Object> snapshot() {
        return new LinkedHashMap<>(values);
    }
}
