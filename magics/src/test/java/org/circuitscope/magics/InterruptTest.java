package org.circuitscope.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.circuitscope.activations.ActivationResult;
import org.circuitscope.examples.ExamplesResult;
import org.circuitscope.featurevis.FeatureVisResult;
import org.circuitscope.model.Model;
import org.circuitscope.stimuli.TuningCurve;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An interrupt (the progress' cancellation flag, raised part-way as the kernel raises it) ends each long magic with
 * what it has computed, marked partial: no exception, and the curve, images or rows so far.
 */
class InterruptTest {
    private InMemoryContext context;

    @BeforeEach
    void context() {
        context = new InMemoryContext();
    }

    @AfterEach
    void close() {
        LoadedModels.of(context.session()).all().values().forEach(Model::close);
    }

    private Object run(String line) throws Exception {
        String[] w = line.trim().split("\\s+");
        Magic m = MagicProvider.all().stream().filter(x -> x.name().equals(w[0])).findFirst().orElseThrow();
        return m.line(context, Arrays.asList(w).subList(1, w.length));
    }

    @Test
    void tuningKeepsTheStimuliMeasured() throws Exception {
        context.interruptAtDone = 32;
        TuningCurve t = assertInstanceOf(TuningCurve.class, run("tuning conv2:5 curves --orient 0:360:1"));
        int rows = t.table().rowCount();
        assertTrue(t.partial(), "marked partial");
        assertTrue(rows >= 32 && rows < 360, rows + " of 360 stimuli");
        assertEquals(rows, t.responses().length);
        assertTrue(t.toString().contains("partial") || t.representations().toString().contains("partial"));
        System.out.println("interrupted %tuning: " + rows + " of 360 stimuli kept");
    }

    @Test
    void featureVisKeepsTheImageSoFar() throws Exception {
        context.interruptAtDone = 8;
        FeatureVisResult r = assertInstanceOf(FeatureVisResult.class, run("featurevis conv4:3 --steps 2000 --size 64"));
        assertTrue(r.interrupted());
        assertTrue(r.steps() >= 8 && r.steps() < 2000, r.steps() + " steps");
        assertEquals(64, r.image().getWidth());
        assertEquals(r.steps(), r.trace().length);
        assertTrue(((String) r.representations().get("text/html")).contains("interrupted"));
        System.out.println("interrupted %featurevis: " + r.steps() + " of 2000 steps, image kept");
    }

    @Test
    void sheetKeepsTheChannelsSoFar() throws Exception {
        context.interruptAtDone = 4;
        FeatureVisResult r = assertInstanceOf(FeatureVisResult.class,
                run("featurevis conv4 --channels 0-7 --batch 4 --steps 300 --size 48"));
        assertTrue(r.interrupted());
        assertTrue(!r.images().isEmpty(), "images kept");
    }

    @Test
    void activationsAndExamplesKeepTheRowsSoFar() throws Exception {
        context.interruptAtDone = 8;
        ActivationResult a = assertInstanceOf(ActivationResult.class,
                run("activations world:400 --layers conv1 --batch 8"));
        assertTrue(a.partial() && a.images() >= 8 && a.images() < 400, a.images() + " images");
        context.interrupt = false;
        context.interruptAtDone = 8;
        ExamplesResult e = assertInstanceOf(ExamplesResult.class, run("examples conv4:3 world:400 --batch 8"));
        assertTrue(e.partial() && e.imagesSeen() >= 8 && e.imagesSeen() < 400, e.imagesSeen() + " images");
        assertTrue(!e.examples().isEmpty());
    }
}
