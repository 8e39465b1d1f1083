package org.circuitscope.kernel.jshell;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;

/**
 * Evaluates Java source with JShell, snippet by snippet, in this JVM. A cell's value is the value of its last
 * snippet when that is an expression; declarations and statements have none.
 */
public final class JShellEvaluator implements AutoCloseable {
    private final InterruptibleRunner runner;
    private final CellExecutionControlProvider provider;
    private final JShell shell;
    private final List<String> addedClasspath = new ArrayList<>();

    /** @param baseClasspath what snippets compile and run against from the start (the kernel's own jars) */
    public JShellEvaluator(InterruptibleRunner runner, List<String> baseClasspath) {
        this.runner = runner;
        this.provider = new CellExecutionControlProvider(runner);
        this.shell = JShell.builder()
                .executionEngine(provider, Map.of())
                .compilerOptions("-Xlint:-options")
                .build();
        if (!baseClasspath.isEmpty()) {
            shell.addToClasspath(String.join(java.io.File.pathSeparator, baseClasspath));
        }
    }

    /** Makes classes in a jar or folder visible to later snippets, for compiling and running. */
    public synchronized void addToClasspath(String entry) {
        if (!addedClasspath.contains(entry)) {
            shell.addToClasspath(entry);
            addedClasspath.add(entry);
        }
    }

    /** The entries added with {@link #addToClasspath}, in order. */
    public synchronized List<String> addedClasspath() {
        return List.copyOf(addedClasspath);
    }

    /**
     * Evaluates every snippet in {@code code} in order.
     *
     * @return the last snippet's value when it is an expression, otherwise null
     * @throws CompilationException       when a snippet does not compile (earlier snippets stay evaluated)
     * @throws SnippetException           when a snippet throws
     * @throws CellInterruptedException   when the user interrupted
     * @throws IncompleteSourceException  when the code ends in the middle of a snippet
     * @throws UnresolvedSnippetException when a declaration names something not defined
     */
    public synchronized Object eval(String code) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String remaining = code;
        Object value = null;
        while (!remaining.isBlank()) {
            CompletionInfo info = analysis.analyzeCompletion(remaining);
            Completeness completeness = info.completeness();
            String source;
            if (completeness == Completeness.EMPTY) {
                break;
            } else if (completeness == Completeness.DEFINITELY_INCOMPLETE
                    || completeness == Completeness.CONSIDERED_INCOMPLETE) {
                throw new IncompleteSourceException(remaining.strip());
            } else if (completeness == Completeness.UNKNOWN) {
                // not Java JShell can split: compile it whole to get the compiler's own message
                source = remaining;
                remaining = "";
            } else {
                source = info.source();
                remaining = info.remaining();
            }
            value = evalSnippet(source);
        }
        return value;
    }

    private Object evalSnippet(String source) {
        CellExecutionControl control = provider.control();
        List<SnippetEvent> events = shell.eval(source);
        boolean stopped = control.takeStopped();
        Object value = control.takeLastValue();
        if (stopped) {
            throw new CellInterruptedException();
        }
        Object result = null;
        for (SnippetEvent event : events) {
            if (event.causeSnippet() != null) {
                continue; // a dependent snippet updated as a side effect
            }
            Snippet snippet = event.snippet();
            if (event.exception() instanceof UnresolvedReferenceException unresolved) {
                DeclarationSnippet used = unresolved.getSnippet();
                throw new UnresolvedSnippetException(snippet.source(), describe(used), missing(used));
            }
            if (event.exception() != null) {
                throw new SnippetException(snippet.source(), event.exception());
            }
            switch (event.status()) {
                case REJECTED -> throw compilationError(snippet);
                case RECOVERABLE_NOT_DEFINED -> throw new UnresolvedSnippetException(snippet.source(),
                        describe((DeclarationSnippet) snippet), missing((DeclarationSnippet) snippet));
                default -> {
                }
            }
            result = producesValue(snippet) ? value : null;
        }
        return result;
    }

    private List<String> missing(DeclarationSnippet snippet) {
        return shell.unresolvedDependencies(snippet).collect(Collectors.toList());
    }

    private static String describe(DeclarationSnippet snippet) {
        String kind = switch (snippet.kind()) {
            case METHOD -> "method";
            case VAR -> "variable";
            case TYPE_DECL -> "type";
            default -> "declaration";
        };
        return kind + " " + snippet.name();
    }

    private static boolean producesValue(Snippet snippet) {
        return snippet.kind() == Snippet.Kind.EXPRESSION
                || snippet.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND;
    }

    private CompilationException compilationError(Snippet snippet) {
        List<CompilationException.Diagnostic> diagnostics = new ArrayList<>();
        shell.diagnostics(snippet).filter(Diag::isError).forEach(d -> diagnostics.add(
                new CompilationException.Diagnostic(d.getMessage(null), (int) d.getStartPosition(),
                        (int) d.getEndPosition())));
        if (diagnostics.isEmpty()) {
            diagnostics.add(new CompilationException.Diagnostic("the snippet was rejected", -1, -1));
        }
        return new CompilationException(snippet.source(), diagnostics);
    }

    /** Declares {@code javaType name = value} for later snippets. */
    public synchronized void declareVariable(String name, String javaType, Object value) {
        eval(ValueHandoff.declaration(name, javaType, value));
    }

    /** The names and types of variables defined so far. */
    public synchronized Map<String, String> variables() {
        Map<String, String> vars = new java.util.LinkedHashMap<>();
        shell.variables().forEach(v -> vars.put(v.name(), v.typeName()));
        return vars;
    }

    /** Runs a source analysis (completion, documentation) while no snippet is being evaluated. */
    synchronized <T> T analyze(java.util.function.Function<SourceCodeAnalysis, T> analysis) {
        return analysis.apply(shell.sourceCodeAnalysis());
    }

    /** Ends a running snippet (see {@link InterruptibleRunner#interrupt()}). */
    public void interrupt() {
        runner.interrupt();
    }

    @Override
    public void close() {
        shell.close();
    }
}
