package org.circuitscope.kernel;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.circuitscope.kernel.cell.CellParser;
import org.circuitscope.kernel.cell.CellRunner;
import org.circuitscope.kernel.jshell.CodeAssistant;
import org.circuitscope.kernel.jshell.InterruptibleRunner;
import org.circuitscope.kernel.jshell.JShellEvaluator;
import org.circuitscope.kernel.magic.ClasspathTarget;
import org.circuitscope.kernel.magic.RawLineMagic;
import org.circuitscope.kernel.protocol.CellReplies;
import org.circuitscope.kernel.protocol.HistoryOkReply;
import org.circuitscope.kernel.protocol.InspectOkReply;
import org.circuitscope.kernel.protocol.KernelHistory;
import org.circuitscope.kernel.protocol.KernelInfoOkReply;
import org.circuitscope.kernel.protocol.SocketGuard;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
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
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.InspectReply;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.dflib.jjava.jupyter.messages.request.InspectRequest;
import org.dflib.jjava.jupyter.messages.request.KernelInfoRequest;

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

    private final InterruptibleRunner runner;
    private final JShellEvaluator evaluator;
    private final CodeAssistant assistant;
    private final MagicAssistant magics = new MagicAssistant(this);
    private final CellRunner cells;
    private final CellErrorFormatter errors;
    private final Map<String, RawLineMagic> rawLineMagics = new ConcurrentHashMap<>();
    private final AtomicInteger depth = new AtomicInteger();
    private final CompletableFuture<Void> ready;
    private final SocketGuard sockets = new SocketGuard();
    /** The reply environment of the cell running now, or null between cells. */
    private volatile CellReplies replies;

    CircuitscopeKernel(String name, String version, JupyterIO io, CommManager commManager, Renderer renderer,
                       MagicsRegistry magicsRegistry, boolean extensionsEnabled, StringStyler errorStyler) {
        super(name, version, languageInfo(), List.of(
                        new HelpLink("JShell", "https://docs.oracle.com/en/java/javase/17/jshell/"),
                        new HelpLink("Circuits (Distill)", "https://distill.pub/2020/circuits/zoom-in/")),
                new KernelHistory(), io, commManager, renderer, null, magicsRegistry, extensionsEnabled, errorStyler);
        this.runner = new InterruptibleRunner(sockets);
        this.evaluator = new JShellEvaluator(runner, KernelClasspath.entries());
        this.assistant = new CodeAssistant(evaluator);
        this.cells = new CellRunner(evaluator, new KernelMagicInvoker(this, rawLineMagics), runner,
                value -> new KernelDisplays(this).display(value));
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
        boolean cell = depth.getAndIncrement() == 0;
        try {
            if (cell) {
                runner.reset();
                awaitReady();
                HelpRequest help = HelpRequest.parse(code);
                if (help != null) {
                    page(help.text(this));
                    return null;
                }
            }
            return cells.run(code);
        } catch (Error e) {
            // BaseKernel reports only Exceptions to the notebook; an Error would end the request without a reply
            throw failed(cell, new IllegalStateException(e.toString(), e));
        } catch (RuntimeException e) {
            throw failed(cell, e);
        } finally {
            depth.decrementAndGet();
        }
    }

    private RuntimeException failed(boolean cell, RuntimeException e) {
        CellReplies r = replies;
        if (cell && r != null) {
            r.failed(e);
        }
        return e;
    }

    private void page(String text) {
        CellReplies r = replies;
        if (r != null) {
            r.page(text);
        } else {
            System.out.println(text);
        }
    }

    /** Clears the running cell's output (what {@code clearOutput()} in a cell does). */
    public void clearOutput(boolean wait) {
        CellReplies r = replies;
        if (r == null) {
            throw new IllegalStateException("clearOutput() works only while a cell runs");
        }
        r.clearOutput(wait);
    }

    /**
     * Runs the cell through jjava's handler with its replies going through {@link CellReplies}: the error named by the
     * user's exception class, the pager payload, the sends kept clear of interrupts, the cell kept for history.
     */
    @Override
    protected synchronized void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        int count = executionCount.get();
        CellReplies cellReplies = new CellReplies(env, sockets, count);
        replies = cellReplies;
        try {
            super.handleExecuteRequest(cellReplies, message);
        } finally {
            replies = null;
            cellReplies.resolveDeferrals();
        }
        ExecuteRequest request = message.getContent();
        if (request.shouldStoreHistory() && !request.isSilent()) {
            ((KernelHistory) getHistoryManager()).record(count, request.getCode(), cellReplies.resultText());
        }
    }

    @Override
    protected void handleKernelInfoRequest(ShellReplyEnvironment env, Message<KernelInfoRequest> message) {
        env.setBusyDeferIdle();
        env.reply(new KernelInfoOkReply(name, version, getLanguageInfo(), getBanner(), getHelpLinks()));
    }

    @Override
    protected void handleHistoryRequest(ShellReplyEnvironment env, Message<HistoryRequest> message) {
        env.setBusyDeferIdle();
        List<HistoryEntry> entries = ((KernelHistory) getHistoryManager()).answer(message.getContent());
        env.reply(new HistoryOkReply(entries == null ? List.of() : entries));
    }

    @Override
    protected void handleInspectRequest(ShellReplyEnvironment env, Message<InspectRequest> message) {
        InspectRequest request = message.getContent();
        env.setBusyDeferIdle();
        try {
            String doc = documentation(request.getCode(), request.getCursorPos());
            env.reply(new InspectOkReply(doc.isBlank() ? null : doc));
        } catch (RuntimeException e) {
            env.replyError(InspectReply.MESSAGE_TYPE.error(), ErrorReply.of(e));
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
        String doc = documentation(code, at);
        return doc.isBlank() ? null : new DisplayData(doc);
    }

    /** What Shift-Tab shows for the code at the cursor: a magic's help, or the Java element's signature and doc. */
    String documentation(String code, int at) {
        String magic = magics.documentation(code, at);
        return magic != null ? magic : assistant.documentation(CellParser.javaOnly(code), at);
    }

    /** The session of the magics (CircuitscopeExtension's), whose loaded models Tab completes layer names from. */
    public void useMagicSession(org.circuitscope.magics.Session session) {
        magics.useSession(session);
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        ReplacementOptions magic = magics.complete(code, at);
        if (magic != null) {
            return magic;
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
