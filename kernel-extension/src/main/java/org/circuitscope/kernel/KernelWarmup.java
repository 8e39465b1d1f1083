package org.circuitscope.kernel;

import java.util.List;

/**
 * Runs cells a typical notebook starts with, without Jupyter: {@code install} runs it once under
 * {@code -XX:ArchiveClassesAtExit} so that later kernels start from a class-data archive (JShell's compiler and the
 * renderers already loaded), which roughly halves the time to the first cell.
 */
final class KernelWarmup {
    static final List<String> CELLS = List.of(
            "int warm = 20; warm + 22",
            "var image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);\n"
                    + "Graphics2D g = image.createGraphics(); g.setColor(Color.RED); g.fillRect(0, 0, 8, 8);"
                    + " g.dispose();\nimage",
            "tech.tablesaw.api.Table.create(\"t\", tech.tablesaw.api.IntColumn.create(\"a\", 1, 2, 3))",
            "String text = \"circuitscope\"; text.length()");

    private KernelWarmup() {
    }

    static void run(CircuitscopeKernel kernel) {
        for (String cell : CELLS) {
            Object value = kernel.evalRaw(cell);
            if (value != null) {
                kernel.getRenderer().render(value);
            }
        }
        kernel.complete("Math.ab", 7);
        kernel.inspect("Math.abs(1)", 6, false);
        try {
            kernel.evalRaw("int broken = ;");
        } catch (RuntimeException expected) {
            kernel.formatError(expected);
        }
    }
}
