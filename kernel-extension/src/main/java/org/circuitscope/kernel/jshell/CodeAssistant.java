package org.circuitscope.kernel.jshell;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import jdk.jshell.SourceCodeAnalysis;
import org.circuitscope.kernel.docs.DocIndex;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.SourceCodeAnalysis.Documentation;
import jdk.jshell.SourceCodeAnalysis.Suggestion;

/**
 * Tab completion, Shift-Tab documentation and "is this cell complete" for Java source. JShell analyses one snippet
 * at a time, so each request is narrowed to the snippet under the cursor and positions are mapped back.
 */
public final class CodeAssistant {
    private final JShellEvaluator evaluator;

    public CodeAssistant(JShellEvaluator evaluator) {
        this.evaluator = evaluator;
    }

    /** What to put in place of {@code [start, end)}. */
    public record Completions(List<String> options, int start, int end) {
    }

    public Completions complete(String code, int cursor) {
        return evaluator.analyze(analysis -> complete(analysis, code, cursor));
    }

    private Completions complete(SourceCodeAnalysis analysis, String code, int cursor) {
        int start = snippetStart(analysis, code, cursor);
        String snippet = code.substring(start);
        int[] anchor = new int[1];
        List<Suggestion> suggestions = analysis.completionSuggestions(snippet, cursor - start, anchor);
        List<Suggestion> sorted = new ArrayList<>(suggestions);
        sorted.sort(Comparator.comparing((Suggestion s) -> !s.matchesType()).thenComparing(Suggestion::continuation));
        Set<String> options = new LinkedHashSet<>();
        sorted.forEach(s -> options.add(s.continuation()));
        return new Completions(List.copyOf(options), start + anchor[0], cursor);
    }

    /** Signatures (and javadoc when the JDK has it) of what is under the cursor, or an empty string. */
    public String documentation(String code, int cursor) {
        return evaluator.analyze(analysis -> documentation(analysis, code, cursor));
    }

    private String documentation(SourceCodeAnalysis analysis, String code, int cursor) {
        int at = Math.min(cursor, code.length());
        // anywhere inside an identifier means the whole identifier; a following '(' asks for the method
        while (at < code.length() && Character.isJavaIdentifierPart(code.charAt(at))) {
            at++;
        }
        int paren = at;
        while (paren < code.length() && Character.isWhitespace(code.charAt(paren))) {
            paren++;
        }
        if (paren < code.length() && code.charAt(paren) == '(') {
            at = paren + 1;
        }
        int start = snippetStart(analysis, code, at);
        List<Documentation> docs = analysis.documentation(code.substring(start), at - start, true);
        if (docs.isEmpty() && (at == 0 || code.charAt(at - 1) != '(')) {
            // a bare method name (cursor at its end, no parenthesis yet): ask as if the call were opened
            String opened = code.substring(start, at) + "(" + code.substring(at);
            docs = analysis.documentation(opened, at - start + 1, true);
        }
        StringBuilder text = new StringBuilder();
        for (Documentation d : docs) {
            if (text.length() > 0) {
                text.append("\n\n");
            }
            text.append(d.signature());
            String javadoc = d.javadoc() != null && !d.javadoc().isBlank() ? d.javadoc().strip()
                    : DocIndex.shipped().describe(d.signature());
            if (javadoc != null) {
                text.append('\n').append(javadoc);
            }
        }
        if (docs.isEmpty()) {
            // JShell describes no variable declared with var and a generic type; the shell knows its type
            String name = identifierBefore(code, at);
            String type = name == null ? null : evaluator.variables().get(name);
            if (type != null) {
                text.append(name).append(':').append(type);
                String typeDoc = DocIndex.shipped().describe(type);
                if (typeDoc != null) {
                    text.append('\n').append(typeDoc);
                }
            }
        }
        return text.toString();
    }

    private static String identifierBefore(String code, int at) {
        int start = at;
        while (start > 0 && Character.isJavaIdentifierPart(code.charAt(start - 1))) {
            start--;
        }
        return start < at && (start == 0 || code.charAt(start - 1) != '.') ? code.substring(start, at) : null;
    }

    public enum Status { COMPLETE, INCOMPLETE, INVALID }

    public Status completeness(String code) {
        return evaluator.analyze(analysis -> completeness(analysis, code));
    }

    private static Status completeness(SourceCodeAnalysis analysis, String code) {
        String remaining = code;
        while (!remaining.isBlank()) {
            CompletionInfo info = analysis.analyzeCompletion(remaining);
            Completeness c = info.completeness();
            if (c == Completeness.EMPTY) {
                return Status.COMPLETE;
            }
            if (c == Completeness.DEFINITELY_INCOMPLETE || c == Completeness.CONSIDERED_INCOMPLETE) {
                return Status.INCOMPLETE;
            }
            if (c == Completeness.UNKNOWN || !JavaSyntax.parses(info.source())) {
                return Status.INVALID;
            }
            remaining = info.remaining();
        }
        return Status.COMPLETE;
    }

    /** Where the snippet that contains {@code cursor} begins. */
    private static int snippetStart(SourceCodeAnalysis analysis, String code, int cursor) {
        String rest = code.substring(0, Math.min(cursor, code.length()));
        int offset = 0;
        while (!rest.isBlank()) {
            CompletionInfo info = analysis.analyzeCompletion(rest);
            if (!info.completeness().isComplete() || info.remaining().isBlank()) {
                break;
            }
            int consumed = rest.length() - info.remaining().length();
            if (consumed <= 0) {
                break;
            }
            offset += consumed;
            rest = info.remaining();
        }
        // skip the whitespace between snippets so the snippet begins at its first character
        while (offset < cursor && offset < code.length() && Character.isWhitespace(code.charAt(offset))) {
            offset++;
        }
        return offset;
    }
}
