package org.circuitscope.magics.activations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.circuitscope.activations.ActivationResult;
import org.circuitscope.examples.ExamplesResult;
import org.circuitscope.magics.InMemoryContext;
import org.circuitscope.magics.Magic;
import org.circuitscope.magics.examples.ExamplesMagic;
import org.circuitscope.magics.model.ModelMagic;
import org.circuitscope.model.Model;
import org.circuitscope.model.ort.Forward;
import org.circuitscope.testing.ForwardComparison;
import org.circuitscope.testing.SharedFixtures;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * {@code %activations} and {@code %examples} on SqueezeNet, as typed in a notebook, give the same tables with
 * {@code -Dcircuitscope.forward=djl} (libtorch) and {@code =ort} (ONNX Runtime): the same rows, images, layers,
 * channels and example positions, values within 1e-5 of the layer's scale.
 */
class ForwardExecutorMagicTest {
    private final InMemoryContext context = new InMemoryContext();

    private Object run(Magic magic, String line) throws Exception {
        return magic.line(context, Arrays.asList(line.trim().split("\\s+")));
    }

    private Object with(String executor, Magic magic, String line) throws Exception {
        System.setProperty(Forward.PROPERTY, executor);
        try {
            return run(magic, line);
        } finally {
            System.clearProperty(Forward.PROPERTY);
        }
    }

    @Test
    void activationsAndExamplesAreTheSameOnEitherExecutor() throws Exception {
        String file = SharedFixtures.squeezenet().toString();
        String samples = SharedFixtures.imagenetSamples().toString();
        Model m = assertInstanceOf(Model.class, run(new ModelMagic(), "load " + file + " --as sq"));
        String acts = samples + " --layers conv1,fire3/concat,fire9/concat,prob --limit 24 --batch 8";
        ActivationResult djl = (ActivationResult) with("djl", new ActivationsMagic(), acts + " --as djl");
        long before = m.onnxRuntime().runs();
        ActivationResult ort = (ActivationResult) with("ort", new ActivationsMagic(), acts + " --as ort");
        assertEquals(before + 3, m.onnxRuntime().runs(), "%activations ran its 3 batches on ONNX Runtime");
        Table a = (Table) context.variables.get("djl");
        Table b = (Table) context.variables.get("ort");
        assertEquals(a.rowCount(), b.rowCount());
        assertEquals(24 * (96 + 128 + 512 + 1000), a.rowCount());
        ForwardComparison.Difference worst = ForwardComparison.activations(djl, ort);

        String unit = "fire4/concat:12 " + samples + " --k 4 --limit 32 --batch 16";
        ForwardComparison.Difference worstExamples = new ForwardComparison.Difference(0, 0);
        for (String line : List.of(unit, unit + " --negative", "conv1:7@50,60 " + samples + " --k 3 --limit 32")) {
            ExamplesResult x = (ExamplesResult) with("djl", new ExamplesMagic(), line);
            ExamplesResult y = (ExamplesResult) with("ort", new ExamplesMagic(), line);
            ForwardComparison.Difference d = ForwardComparison.examples(List.of(x), List.of(y));
            worstExamples = new ForwardComparison.Difference(Math.max(worstExamples.ofScale(), d.ofScale()),
                    Math.max(worstExamples.ofValue(), d.ofValue()));
            assertEquals(x.table().columnNames(), y.table().columnNames());
            assertEquals(x.table().stringColumn("image").asList(), y.table().stringColumn("image").asList(), line);
        }
        assertEquals(before + 3 + 5, m.onnxRuntime().runs(), "%examples ran its 5 batches on ONNX Runtime");
        System.out.printf("%%activations on SqueezeNet (24 images, 4 layers) djl vs ort: largest relative difference "
                + "%s; %%examples: same images and positions, %s%n", worst, worstExamples);
    }
}
