package org.circuitscope.kernel.jshell;

import com.sun.source.util.JavacTask;
import java.net.URI;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Whether a snippet is Java syntax at all. JShell calls {@code int = 7q;} complete (it only looks for the end of a
 * snippet); this parses the snippet, without resolving any name, in each place a JShell snippet can stand: a member
 * of a class (declarations), a method body (statements), an expression, an import.
 */
final class JavaSyntax {
    private static final JavaCompiler COMPILER = ToolProvider.getSystemJavaCompiler();
    private static final List<String> WRAPPERS = List.of(
            "class Snippet__ {\n%s\n}",
            "class Snippet__ { void snippet__() throws Throwable {\n%s\n} }",
            "class Snippet__ { Object value__ = (\n%s\n); }",
            "%s\nclass Snippet__ {}");

    private JavaSyntax() {
    }

    static boolean parses(String snippet) {
        // JShell hands an expression over with the semicolon it added (1+2 -> 1+2;)
        String expression = snippet.strip().replaceAll(";+$", "");
        for (String wrapper : WRAPPERS) {
            String body = wrapper.contains("value__") ? expression : snippet;
            if (parsesAs(wrapper.replace("%s", body))) {
                return true;
            }
        }
        return false;
    }

    private static boolean parsesAs(String source) {
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Snippet__.java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        JavacTask task = (JavacTask) COMPILER.getTask(null, null, diagnostics, List.of("-proc:none"), null,
                List.of(file));
        try {
            task.parse();
        } catch (java.io.IOException e) {
            return false;
        }
        return diagnostics.getDiagnostics().stream().noneMatch(d -> d.getKind() == Diagnostic.Kind.ERROR);
    }
}
