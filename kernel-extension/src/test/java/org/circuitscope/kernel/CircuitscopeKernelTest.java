package org.circuitscope.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.circuitscope.kernel.cell.MagicFailedException;
import org.circuitscope.kernel.cell.UnknownMagicException;
import org.circuitscope.kernel.jshell.CellInterruptedException;
import org.circuitscope.kernel.magic.KernelMagicContext;
import org.circuitscope.magics.MagicException;
import org.circuitscope.magics.Session;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The kernel without a Jupyter connection: cells, magics and errors as the notebook would get them. */
class CircuitscopeKernelTest {
    private static CircuitscopeKernel kernel;

    @BeforeAll
    static void start() {
        kernel = CircuitscopeKernel.builder().build();
    }

    @AfterAll
    static void stop() {
        kernel.onShutdown(false);
    }

    private static String joined(List<String> lines) {
        return String.join("\n", lines);
    }

    @Test
    void extensionIsAServiceAndInstalledAtStart() {
        assertTrue(ServiceLoader.load(Extension.class).stream()
                .anyMatch(p -> p.type() == CircuitscopeExtension.class));
        var lines = kernel.getMagicsRegistry().getLineMagicNames();
        for (String name : List.of("jars", "classpath", "maven", "load", "time", "lsmagic", "model")) {
            assertTrue(lines.contains(name), name + " in " + lines);
        }
        assertTrue(kernel.getMagicsRegistry().getCellMagicNames().contains("time"));
    }

    @Test
    void lsmagicGivesEveryMagicOneLineOfHelp() {
        DisplayData listing = assertInstanceOf(DisplayData.class, kernel.evalRaw("%lsmagic"));
        String text = (String) listing.getData(MIMEType.TEXT_PLAIN);
        for (String name : kernel.getMagicsRegistry().getLineMagicNames()) {
            assertTrue(text.contains("%" + name), name);
        }
        for (String name : List.of("jars", "classpath", "maven", "load", "time", "lsmagic", "model")) {
            String line = text.lines().filter(l -> l.strip().startsWith("%" + name + " ")).findFirst().orElse("");
            assertTrue(line.length() > name.length() + 10 && !line.contains("(no description)"), line);
        }
    }

    @Test
    void cellsMixJavaAndMagics() {
        assertEquals(42, kernel.evalRaw("int half = 21;\n%time half * 2"));
        assertEquals(42, kernel.evalRaw("%%time\nint h2 = 21;\nh2 * 2"));
    }

    @Test
    void unknownMagicIsOneClearLine() {
        UnknownMagicException e = assertThrows(UnknownMagicException.class, () -> kernel.evalRaw("%frobnicate x"));
        List<String> lines = kernel.formatError(e);
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).contains("Unknown line magic %frobnicate"));
    }

    @Test
    void magicExceptionIsItsMessageWithoutStack() {
        MagicFailedException e = assertThrows(MagicFailedException.class, () -> kernel.evalRaw("%model frobnicate"));
        assertInstanceOf(MagicException.class, e.getCause());
        String shown = joined(kernel.formatError(e));
        assertTrue(shown.contains("unknown subcommand"), shown);
        assertFalse(shown.contains("\tat "), shown);
    }

    @Test
    void otherMagicFailuresNameTheMagicAndTheCause() {
        kernel.getMagicsRegistry().registerLineMagic("explode", (k, args) -> {
            throw new IllegalStateException("boom");
        });
        MagicFailedException e = assertThrows(MagicFailedException.class, () -> kernel.evalRaw("%explode"));
        String shown = joined(kernel.formatError(e));
        assertTrue(shown.contains("%explode failed: java.lang.IllegalStateException: boom"), shown);
    }

    @Test
    void magicContextBindsVariablesForLaterCells() throws Exception {
        KernelMagicContext context = new KernelMagicContext(kernel, new Session(), kernel::declareVariable);
        List<Integer> value = List.of(1, 2, 3);
        context.setVariable("fromMagic", "java.util.List<Integer>", value);
        assertEquals(6, kernel.evalRaw("fromMagic.stream().mapToInt(Integer::intValue).sum()"));
    }

    @Test
    void interruptReachesMagicsPolitelyThenByForce() {
        kernel.getMagicsRegistry().registerLineMagic("politeSpin", (k, args) -> {
            while (!CellInterrupts.requested()) {
                Thread.onSpinWait();
            }
            return "noticed";
        });
        // a magic that ignores the flag is interrupted after its grace period (never Thread.stop-ped)
        kernel.getMagicsRegistry().registerLineMagic("rudeSleep", (k, args) -> {
            Thread.sleep(60_000);
            return "slept";
        });
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            timer.schedule(kernel::interrupt, 300, TimeUnit.MILLISECONDS);
            // the magic returns what it has; the kernel shows it and still ends the cell as interrupted
            CellInterruptedException polite = assertThrows(CellInterruptedException.class,
                    () -> kernel.evalRaw("%politeSpin"));
            assertTrue(polite.getMessage().contains("above is what it computed"), polite.getMessage());
            timer.schedule(kernel::interrupt, 300, TimeUnit.MILLISECONDS);
            assertThrows(CellInterruptedException.class, () -> kernel.evalRaw("%rudeSleep"));
            assertEquals(7, kernel.evalRaw("3 + 4"), "the next cell runs");
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void errorsInCellsAreFormattedForPeople() {
        RuntimeException compile = assertThrows(RuntimeException.class, () -> kernel.evalRaw("int z = \"no\";"));
        assertTrue(joined(kernel.formatError(compile)).contains("incompatible types"));
        RuntimeException thrown = assertThrows(RuntimeException.class,
                () -> kernel.evalRaw("Object o = null; o.toString()"));
        String shown = joined(kernel.formatError(thrown));
        assertTrue(shown.contains("java.lang.NullPointerException"), shown);
        assertFalse(shown.contains("jdk.internal.reflect"), shown);
    }

    @Test
    void completionOffersMagicNamesAndJava() {
        var magic = kernel.complete("%lsm", 4);
        assertEquals(List.of("lsmagic"), magic.getReplacements());
        assertEquals(1, magic.getSourceStart());
        var java = kernel.complete("%time 1\nString.valueO", 20);
        assertTrue(java.getReplacements().contains("valueOf("), java.getReplacements().toString());
        assertEquals("complete", kernel.isComplete("%jars x\nint a = 1;"));
        assertEquals("    ", kernel.isComplete("class A {"));
        assertTrue(((String) kernel.inspect("Math.max(1, 2)", 6, false).getData(MIMEType.TEXT_PLAIN))
                .contains("max("));
    }

    private static String inspected(String code, int at) {
        DisplayData d = kernel.inspect(code, at, false);
        return d == null ? "" : (String) d.getData(MIMEType.TEXT_PLAIN);
    }

    @Test
    void shiftTabShowsOurJavadocForMethodsClassesVariablesAndMagics() {
        // a bare method name (static import), cursor at its end
        assertTrue(inspected("display", 7).contains("Shows a value now"), inspected("display", 7));
        // a class, and a method of it
        assertTrue(inspected("org.circuitscope.model.Models", 29).contains("Loads models by file path"));
        assertTrue(inspected("org.circuitscope.model.Models.load", 34).contains("by zoo name or file path"));
        // a variable, declared with var and without
        kernel.evalRaw("var shared = new org.circuitscope.magics.Session();\n"
                + "org.circuitscope.magics.Session typed = shared;");
        assertTrue(inspected("shared", 6).contains("State that lives as long as a notebook kernel"),
                inspected("shared", 6));
        assertTrue(inspected("typed", 5).contains("State that lives as long as a notebook kernel"),
                inspected("typed", 5));
        // a magic name: its help, not Java
        assertTrue(inspected("%featurevis conv2:3", 5).contains("feature visualisation"),
                inspected("%featurevis conv2:3", 5));
        // JDK methods keep JShell's signatures
        assertTrue(inspected("Math.abs", 8).contains("abs(int a)"), inspected("Math.abs", 8));
    }

    @Test
    void tabInsideAMagicCompletesItsOptionsLayersAndUnits() {
        var options = kernel.complete("%featurevis conv2:3 --st", 24);
        assertEquals(List.of("--steps"), options.getReplacements());
        assertEquals(20, options.getSourceStart());
        var layers = kernel.complete("%featurevis con", 15).getReplacements();
        assertTrue(layers.contains("conv2") && layers.stream().allMatch(l -> l.startsWith("con")), layers.toString());
        var units = kernel.complete("%featurevis conv2:1", 19).getReplacements();
        assertTrue(units.contains("conv2:1") && units.contains("conv2:10"), units.toString());
        assertFalse(units.stream().anyMatch(u -> u.contains("String")), "no Java class names: " + units);
        var neuron = kernel.complete("%featurevis conv2:3@", 20).getReplacements();
        assertEquals(1, neuron.size(), neuron.toString());
        assertTrue(neuron.get(0).matches("conv2:3@\\d+,\\d+"), neuron.toString());
    }

    @Test
    void isCompleteRejectsWhatIsNotJava() {
        assertEquals("invalid", kernel.isComplete("int = 7q;"));
        assertEquals("invalid", kernel.isComplete("1 +* 2;"));
        assertEquals("complete", kernel.isComplete("int seven = 7;"));
        assertEquals("complete", kernel.isComplete("1 + 2"));
        assertEquals("complete", kernel.isComplete("var list = new ArrayList<String>();\nlist.add(\"x\");"));
        assertEquals("complete", kernel.isComplete("record P(int x) {}"));
    }

    @Test
    void errorsAreNamedByTheClassTheCellThrew() {
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> kernel.evalRaw("throw new IllegalArgumentException(\"bad\");"));
        assertEquals("java.lang.IllegalArgumentException", org.circuitscope.kernel.protocol.ErrorNames.of(e));
        RuntimeException compile = assertThrows(RuntimeException.class, () -> kernel.evalRaw("int z = \"no\";"));
        assertEquals("CompilationException", org.circuitscope.kernel.protocol.ErrorNames.of(compile));
    }
}
