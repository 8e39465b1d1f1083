package org.circuitscope.kernel.jshell;

import java.util.List;

/** A declaration that names things not defined yet, so it can't be used until they are. */
public class UnresolvedSnippetException extends CellException {
    private final String source;
    private final List<String> missing;

    /** @param what what can't be used yet, e.g. "this declaration" or "method f()" */
    public UnresolvedSnippetException(String source, String what, List<String> missing) {
        super(what + " cannot be used until " + (missing.isEmpty() ? "what it refers to is"
                : String.join(", ", missing) + (missing.size() == 1 ? " is" : " are")) + " defined");
        this.source = source;
        this.missing = List.copyOf(missing);
    }

    public String source() {
        return source;
    }

    public List<String> missing() {
        return missing;
    }
}
