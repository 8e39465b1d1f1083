package org.circuitscope.kernel.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.circuitscope.kernel.KernelClasspath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JShellEvaluatorTest {
    private static InterruptibleRunner runner;
    private static JShellEvaluator evaluator;
    private static CodeAssistant assistant;

    @BeforeAll
    static void start() {
        runner = new InterruptibleRunner();
        evaluator = new JShellEvaluator(runner, KernelClasspath.entries());
        assistant = new CodeAssistant(evaluator);
    }

    @AfterAll
    static void stop() {
        evaluator.close();
    }

    @Test
    void anImportAfterOtherStatementsKeepsEarlierVariables() {
        evaluator.eval("String kept = \"kept\";\nint[] counts = {1, 2};\njava.util.List<String> names = new java.util.ArrayList<>(java.util.List.of(\"a\"));");
        assertEquals("kept", evaluator.eval("int k = 1;\nimport java.time.*;\nkept"));
        assertEquals(2, evaluator.eval("counts[1]"));
        assertEquals(List.of("a"), evaluator.eval("import java.time.format.*;\nnames"));
        assertEquals("kept", evaluator.eval("kept"));
        // the import took effect
        assertEquals(java.time.Duration.ofSeconds(3), evaluator.eval("Duration.ofSeconds(3)"));
    }

    @Test
    void redeclaringAMethodReachesItsCallersWhichAreRedefinedInPlace() {
        evaluator.eval("int one() { return 1; }\nint twice() { return 2 * one(); }\nint held = 5;");
        assertEquals(2, evaluator.eval("twice()"));
        evaluator.eval("int one() { return 10; }");
        assertEquals(20, evaluator.eval("twice()"), "the caller runs the new method");
        assertEquals(5, evaluator.eval("held"));
    }

    @Test
    void lastExpressionIsTheValueAndStateCarriesOver() {
        assertNull(evaluator.eval("int base = 40;\nint plus(int a) { return base + a; }"));
        assertEquals(42, evaluator.eval("plus(2)"));
        assertNull(evaluator.eval("plus(2);\nint unused = 0;"), "a declaration last means no value");
    }

    @Test
    void realObjectsComeBackNotStrings() {
        Object list = evaluator.eval("java.util.List.of(1, 2)");
        assertEquals(List.of(1, 2), list);
    }

    @Test
    void kernelClasspathIsVisibleToSnippets() {
        assertEquals("Displayable", evaluator.eval("org.circuitscope.display.Displayable.class.getSimpleName()"));
        assertEquals("Table", evaluator.eval("tech.tablesaw.api.Table.class.getSimpleName()"));
    }

    @Test
    void compileErrorsNameTheProblem() {
        CompilationException e = assertThrows(CompilationException.class, () -> evaluator.eval("int bad = \"s\";"));
        assertTrue(e.diagnostics().get(0).message().contains("incompatible types"), e.getMessage());
        assertEquals("int bad = \"s\";", e.source().strip());
    }

    @Test
    void runtimeExceptionsCarryTheUsersException() {
        SnippetException e = assertThrows(SnippetException.class, () -> evaluator.eval("Integer.parseInt(\"x\")"));
        assertEquals("java.lang.NumberFormatException",
                ((jdk.jshell.EvalException) e.jshellException()).getExceptionClassName());
    }

    @Test
    void incompleteInputIsReported() {
        assertThrows(IncompleteSourceException.class, () -> evaluator.eval("for (int i = 0; i < 2; i++) {"));
    }

    @Test
    void unresolvedDeclarationsSayWhatIsMissing() {
        assertNull(evaluator.eval("int usesLater() { return notDefinedYet(); }"), "JShell accepts it for now");
        UnresolvedSnippetException e = assertThrows(UnresolvedSnippetException.class,
                () -> evaluator.eval("usesLater()"));
        assertTrue(e.getMessage().contains("method usesLater") && e.getMessage().contains("notDefinedYet"),
                e.getMessage());
    }

    @Test
    void declaredVariablesHoldTheSameObject() {
        Object model = new StringBuilder("model");
        evaluator.declareVariable("handed", "StringBuilder", model);
        assertSame(model, evaluator.eval("handed"));
        assertThrows(IllegalArgumentException.class, () -> evaluator.declareVariable("not a name", "int", 1));
    }

    @Test
    void interruptStopsABusyLoopAndTheShellStaysUsable() {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            runner.reset();
            long start = System.nanoTime();
            timer.schedule(runner::interrupt, 500, TimeUnit.MILLISECONDS);
            assertThrows(CellInterruptedException.class, () -> evaluator.eval("while (true) { }"));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds < 2.5, "stopped after " + seconds + " s");
            runner.reset();
            assertEquals(3, evaluator.eval("1 + 2"));
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void interruptEndsSleepsAndLoopsThatSwallowExceptions() {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            for (String cell : List.of("Thread.sleep(60_000);",
                    "while (true) { try { Thread.sleep(5); } catch (Exception e) { } }")) {
                runner.reset();
                long start = System.nanoTime();
                timer.schedule(runner::interrupt, 300, TimeUnit.MILLISECONDS);
                assertThrows(CellInterruptedException.class, () -> evaluator.eval(cell), cell);
                double seconds = (System.nanoTime() - start) / 1e9;
                assertTrue(seconds < 2.5, cell + " stopped after " + seconds + " s");
            }
            runner.reset();
            assertEquals(3, evaluator.eval("1 + 2"));
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void snippetClassesAreWovenWithCheckpoints() {
        byte[] plain = evaluatorClassBytes();
        byte[] woven = CheckpointWeaver.weave(plain);
        assertTrue(new String(woven, java.nio.charset.StandardCharsets.ISO_8859_1).contains("CellCheckpoint"));
    }

    private static byte[] evaluatorClassBytes() {
        try (var in = JShellEvaluatorTest.class.getResourceAsStream("JShellEvaluatorTest.class")) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void cooperativeCodeSeesTheFlagFirst() {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            runner.reset();
            evaluator.declareVariable("flag", "java.util.function.BooleanSupplier",
                    (java.util.function.BooleanSupplier) runner::interruptRequested);
            evaluator.eval("String politely() { while (!flag.getAsBoolean()) { } return \"ended politely\"; }");
            timer.schedule(runner::interrupt, 300, TimeUnit.MILLISECONDS);
            assertEquals("ended politely", evaluator.eval("politely()"));
            // what follows the loop that noticed the interrupt still runs (its clean-up, its result)
            assertEquals("after", evaluator.eval("politely();\n\"after\""));
        } finally {
            runner.reset();
            timer.shutdownNow();
        }
    }

    @Test
    void completionAndDocumentationWorkInsideMultiSnippetCells() {
        evaluator.eval("String greetingText = \"hi\";");
        String code = "int a = 1;\ngreetingT";
        CodeAssistant.Completions c = assistant.complete(code, code.length());
        assertTrue(c.options().contains("greetingText"), c.options().toString());
        assertEquals(code.length() - "greetingT".length(), c.start());
        assertTrue(assistant.documentation("int b = 2; Math.abs(-1)", 16).contains("abs("));
        assertEquals(CodeAssistant.Status.INCOMPLETE, assistant.completeness("if (true) {"));
        assertEquals(CodeAssistant.Status.COMPLETE, assistant.completeness("int q = 1; q"));
    }
}
