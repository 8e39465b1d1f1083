package org.circuitscope.kernel.magic;

import java.util.Map;
import java.util.TreeMap;
import java.util.WeakHashMap;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

/** One line of help per magic, per kernel, for {@code %lsmagic}. */
public final class MagicCatalog {
    private static final Map<BaseKernel, MagicCatalog> CATALOGS = new WeakHashMap<>();

    private final Map<String, String> lineHelp = new TreeMap<>();
    private final Map<String, String> cellHelp = new TreeMap<>();

    public static synchronized MagicCatalog of(BaseKernel kernel) {
        return CATALOGS.computeIfAbsent(kernel, k -> new MagicCatalog());
    }

    public synchronized void describeLine(String name, String help) {
        lineHelp.put(name, help);
    }

    public synchronized void describeCell(String name, String help) {
        cellHelp.put(name, help);
    }

    public synchronized String lineHelp(String name) {
        return lineHelp.get(name);
    }

    public synchronized String cellHelp(String name) {
        return cellHelp.get(name);
    }
}
