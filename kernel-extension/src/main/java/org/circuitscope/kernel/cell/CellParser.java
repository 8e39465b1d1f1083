package org.circuitscope.kernel.cell;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds magics in a cell. A line magic is a line whose first non-blank character is {@code %} followed by a name;
 * a cell magic is a first line starting {@code %%name}. Everything else is Java.
 */
public final class CellParser {
    private static final Pattern LINE_MAGIC = Pattern.compile("^\\s*%([A-Za-z_][\\w.-]*)(.*)$");
    private static final Pattern CELL_MAGIC = Pattern.compile("^\\s*%%([A-Za-z_][\\w.-]*)(.*)$");

    private CellParser() {
    }

    public static List<CellPart> parse(String cell) {
        List<CellPart> parts = new ArrayList<>();
        String firstLine = firstNonBlankLine(cell);
        if (firstLine != null) {
            Matcher m = CELL_MAGIC.matcher(firstLine);
            if (m.matches()) {
                int lineEnd = cell.indexOf('\n', cell.indexOf(firstLine));
                String body = lineEnd < 0 ? "" : cell.substring(lineEnd + 1);
                String raw = m.group(2).strip();
                parts.add(new CellPart.CellMagic(m.group(1), raw, ArgSplitter.split(raw), body));
                return parts;
            }
        }
        StringBuilder java = new StringBuilder();
        for (String line : cell.split("\n", -1)) {
            Matcher m = LINE_MAGIC.matcher(line);
            if (m.matches()) {
                if (!java.toString().isBlank()) {
                    parts.add(new CellPart.Java(java.toString()));
                }
                java.setLength(0);
                String raw = m.group(2).strip();
                parts.add(new CellPart.LineMagic(m.group(1), raw, ArgSplitter.split(raw)));
            } else {
                java.append(line).append('\n');
            }
        }
        if (!java.toString().isBlank()) {
            parts.add(new CellPart.Java(java.toString()));
        }
        return parts;
    }

    /**
     * The cell with every magic line blanked out (same length, so positions still match): what Java tooling such as
     * completion should look at.
     */
    public static String javaOnly(String cell) {
        StringBuilder out = new StringBuilder(cell.length());
        String[] lines = cell.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            boolean magic = LINE_MAGIC.matcher(line).matches() || CELL_MAGIC.matcher(line).matches();
            out.append(magic ? " ".repeat(line.length()) : line);
            if (i < lines.length - 1) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    private static String firstNonBlankLine(String cell) {
        for (String line : cell.split("\n")) {
            if (!line.isBlank()) {
                return line;
            }
        }
        return null;
    }
}
