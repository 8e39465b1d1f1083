package org.circuitscope.display;

import java.awt.FontMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * Captions that fit under a picture of a given width. A unit's name is read from both ends: the model and block at
 * the start, the layer and channel at the end ("MobilenetV2/expanded_conv_3/expand:5"), so a caption too long for
 * its lines keeps its end and loses its middle, never its channel.
 */
public final class Captions {
    private static final String ELLIPSIS = "…";

    private Captions() {
    }

    /**
     * {@code text} in at most {@code maxLines} lines of at most {@code width} pixels: broken after '/', ':', '_',
     * '-' or spaces where possible, and when it does not fit, the last line shows the end of the text after an
     * ellipsis.
     */
    public static List<String> lines(String text, FontMetrics fm, int width, int maxLines) {
        List<String> out = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        String rest = text;
        while (out.size() < maxLines - 1 && fm.stringWidth(rest) > width) {
            int cut = breakPoint(rest, fm, width);
            out.add(rest.substring(0, cut));
            rest = rest.substring(cut);
        }
        if (fm.stringWidth(rest) <= width) {
            out.add(rest);
            return out;
        }
        // the end matters most: keep as much of it as fits after an ellipsis
        int start = rest.length() - 1;
        while (start > 0 && fm.stringWidth(ELLIPSIS + rest.substring(start - 1)) <= width) {
            start--;
        }
        out.add(ELLIPSIS + rest.substring(start));
        return out;
    }

    /** Where to end a line: after the last separator that fits, else after as many characters as fit. */
    private static int breakPoint(String s, FontMetrics fm, int width) {
        int fits = 1;
        while (fits < s.length() && fm.stringWidth(s.substring(0, fits + 1)) <= width) {
            fits++;
        }
        for (int i = fits; i > 0; i--) {
            char c = s.charAt(i - 1);
            if (c == '/' || c == ':' || c == '_' || c == '-' || c == ' ') {
                return i;
            }
        }
        return fits;
    }
}
