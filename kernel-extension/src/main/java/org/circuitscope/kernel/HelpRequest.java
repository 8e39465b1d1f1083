package org.circuitscope.kernel;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cell that is a name followed by {@code ?} ({@code Math.abs?}, {@code display?}, {@code %featurevis?}), which
 * asks for the name's documentation in the pager, as in IPython. Java has no such expression, so nothing valid is
 * taken away.
 */
record HelpRequest(String name) {
    private static final Pattern NAME_QUESTION = Pattern.compile("^\\s*(%{0,2}[\\p{javaJavaIdentifierStart}][\\w.$]*)"
            + "\\s*\\?\\s*$");

    static HelpRequest parse(String cell) {
        Matcher m = NAME_QUESTION.matcher(cell);
        return m.matches() ? new HelpRequest(m.group(1)) : null;
    }

    /** The documentation, or a sentence saying there is none. */
    String text(CircuitscopeKernel kernel) {
        String doc = kernel.documentation(name, name.length());
        return doc.isBlank() ? "No documentation found for " + name : doc;
    }
}
