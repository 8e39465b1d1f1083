package org.circuitscope.kernel;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.circuitscope.kernel.cell.CellParser;
import org.circuitscope.kernel.cell.CellRunner;
import org.circuitscope.kernel.jshell.CodeAssistant;
import org.circuitscope.kernel.jshell.InterruptibleRunner;
import org.circuitscope.kernel.jshell.JShellEvaluator;
import org.circuitscope.kernel.magic.ClasspathTarget;
import org.circuitscope.kernel.magic.RawLineMagic;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;

/**
 * A Jupyter kernel for Java: cells are evaluated by JShell inside this JVM, with the whole circuitscope classpath,
 * IJava-style magics and rich display of images, tables and charts.
 */
public final class CircuitscopeKernel extends BaseKernel implements ClasspathTarget {
    /** Imports every cell starts with. */
    public static final List<String> DEFAULT_IMPORTS = List.of(
            "java.util.*", "java.util.function.*", "java.util.stream.*", "java.io.*", "java.nio.file.*",
            "java.math.*", "java.awt.image.BufferedImage", "java.awt.Color", "java.awt.Graphics2D",
            "java.awt.BasicStroke", "java.awt.Font", "java.awt.RenderingHints", "static org.circuitscope.kernel.Notebook.*");

    private static final Pattern MAGIC_NAME_AT_CURSOR = Pattern.compile("^\\s*(%{1,2})([\\w.-]*)$");

    private final InterruptibleRunner runner;
    private final JShellEvaluator evaluator;
    private final CodeAssistant assistant;
    private final CellRunner cells;
    private final CellErrorFormatter errors;
    private final Map<String, RawLineMagic> rawLineMagics = new ConcurrentHashMap<>();
    private final AtomicInteger depth = new AtomicInteger();
    private final CompletableFuture<Void> ready;

    CircuitscopeKernel(String name, String version, JupyterIO io, CommManager commManager, Renderer renderer,
                       MagicsRegistry magicsRegistry, boolean extensionsEnabled, StringStyler errorStyler) {
        super(name, version, languageInfo(), List.of(
                        new HelpLink("JShell", "https://docs.oracle.com/en/java/javase/17/jshell/"),
                        new HelpLink("Circuits (Distill)", "https://distill.pub/2020/circuits/zoom-in/")),
                null, io, commManager, renderer, null, magicsRegistry, extensionsEnabled, errorStyler);
        this.runner = new InterruptibleRunner();
        this.evaluator = new JShellEvaluator(runner, KernelClasspath.entries());
        this.assistant = new CodeAssistant(evaluator);
        this.cells = new CellRunner(evaluator, new KernelMagicInvoker(this, rawLineMagics), runner);
        this.errors = new CellErrorFormatter(errorStyler);
        CellInterrupts.install(runner::interruptRequested);
        // JShell's first evaluation warms up the compiler (seconds): do it while Jupyter connects
        String imports = DEFAULT_IMPORTS.stream().map(i -> "import " + i + ";").collect(Collectors.joining("\n"));
        this.ready = CompletableFuture.runAsync(() -> evaluator.eval(imports), runnable -> {
            Thread t = new Thread(runnable, "circuitscope-warmup");
            t.setDaemon(true);
            t.start();
        });
    }

    private static LanguageInfo languageInfo() {
        return new LanguageInfo("java", Runtime.version().toString(), "text/x-java-source", ".jshell", "java",
                "java", null);
    }

    public static CircuitscopeKernelBuilder builder() {
        return new CircuitscopeKernelBuilder();
    }

    /** Registers a line magic that receives its argument text unsplit (e.g. code for %time). */
    public void registerRawLineMagic(String name, RawLineMagic magic) {
        rawLineMagics.put(name, magic);
    }

    @Override
    public Object evalRaw(String code) {
        if (depth.getAndIncrement() == 0) {
            runner.reset();
            awaitReady();
        }
        try {
            return cells.run(code);
        } catch (Error e) {
            // BaseKernel reports only Exceptions to the notebook; an Error would end the request without a reply
            throw new IllegalStateException(e.toString(), e);
        } finally {
            depth.decrementAndGet();
        }
    }

    /** Waits for the default imports; their failure is the kernel's, so it fails every cell that follows. */
    private void awaitReady() {
        try {
            ready.join();
        } catch (CompletionException e) {
            throw new IllegalStateException("the kernel could not evaluate its default imports: " + e.getCause(),
                    e.getCause());
        }
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        String doc = assistant.documentation(CellParser.javaOnly(code), at);
        return doc.isBlank() ? null : new DisplayData(doc);
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        int lineStart = code.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
        Matcher magic = MAGIC_NAME_AT_CURSOR.matcher(code.substring(lineStart, at));
        if (magic.find()) {
            String percent = magic.group(1);
            String prefix = magic.group(2);
            var names = percent.length() == 2 ? getMagicsRegistry().getCellMagicNames()
                    : getMagicsRegistry().getLineMagicNames();
            List<String> options = names.stream().filter(n -> n.startsWith(prefix)).sorted().toList();
            return new ReplacementOptions(options, at - prefix.length(), at);
        }
        CodeAssistant.Completions c = assistant.complete(CellParser.javaOnly(code), at);
        return new ReplacementOptions(c.options(), c.start(), c.end());
    }

    @Override
    public String isComplete(String code) {
        return switch (assistant.completeness(CellParser.javaOnly(code))) {
            case COMPLETE -> IS_COMPLETE_YES;
            case INCOMPLETE -> "    ";
            case INVALID -> IS_COMPLETE_BAD;
        };
    }

    @Override
    public void interrupt() {
        runner.interrupt();
    }

    @Override
    public List<String> formatError(Throwable e) {
        List<String> lines = errors.format(e);
        return lines != null ? lines : super.formatError(e);
    }

    @Override
    public void addToClasspath(String path) {
        evaluator.addToClasspath(path);
    }

    @Override
    public List<String> addedClasspath() {
        return evaluator.addedClasspath();
    }

    /** Declares a variable for later cells (what magics' {@code setVariable} does here). */
    public void declareVariable(String name, String javaType, Object value) {
        evaluator.declareVariable(name, javaType, value);
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        super.onShutdown(isRestarting);
        evaluator.close();
    }
}
