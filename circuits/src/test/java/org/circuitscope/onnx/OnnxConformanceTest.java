package org.circuitscope.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.onnx.proto.Onnx.GraphProto;
import org.circuitscope.onnx.proto.Onnx.ModelProto;
import org.circuitscope.onnx.proto.Onnx.NodeProto;
import org.circuitscope.onnx.proto.Onnx.TensorProto;
import org.circuitscope.onnx.proto.Onnx.ValueInfoProto;
import org.circuitscope.tensor.Tensor;
import org.circuitscope.testing.SharedFixtures;
import org.junit.jupiter.api.Test;

/**
 * ONNX's own conformance data ({@code onnx-tests/node} in the shared fixtures), through the public Model API:
 * every single-node float32 test of an op circuitscope lists as supported must load and match ONNX's expected
 * outputs (inputs after the first folded in as initializers, |actual − expected| ≤ 1e-5 + 1e-3·|expected|); a test of
 * an op it does not support must be refused at load with a ModelException naming the op, never an internal error.
 * A supported op's variant may be refused at load too (the message names op, attribute and node); those are counted
 * and listed, so the note can say which.
 */
class OnnxConformanceTest {
    private static final double RTOL = 1e-3;
    private static final double ATOL = 1e-5;

    /** One test's result. */
    private record Outcome(String test, String op, String kind, String detail) {
    }

    @Test
    void nodeTestsOfSupportedOpsPassAndTheRestAreRefusedClearly() throws Exception {
        Path root = SharedFixtures.require("onnx-tests/node");
        List<Outcome> outcomes = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.sorted().toList()) {
                Outcome o = run(dir);
                if (o != null) {
                    outcomes.add(o);
                }
            }
        }
        Map<String, int[]> byOp = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        List<String> refusedVariants = new ArrayList<>();
        int passed = 0;
        int refusedUnsupported = 0;
        for (Outcome o : outcomes) {
            int[] c = byOp.computeIfAbsent(o.op, k -> new int[3]);
            switch (o.kind) {
                case "pass" -> {
                    passed++;
                    c[0]++;
                }
                case "refused-variant" -> {
                    c[1]++;
                    refusedVariants.add(o.test + ": " + o.detail);
                }
                case "refused-unsupported" -> refusedUnsupported++;
                default -> {
                    c[2]++;
                    failures.add(o.test + " [" + o.kind + "]: " + o.detail);
                }
            }
        }
        int supportedTests = passed + refusedVariants.size() + failures.size();
        System.out.println("ONNX node conformance: " + supportedTests + " float32 single-node tests of supported ops: "
                + passed + " pass, " + refusedVariants.size() + " refused at load (variants not implemented), "
                + failures.size() + " fail; " + refusedUnsupported + " tests of unsupported ops refused clearly");
        byOp.forEach((op, c) -> {
            if (c[1] + c[2] > 0) {
                System.out.println("  " + op + ": " + c[0] + " pass, " + c[1] + " refused, " + c[2] + " fail");
            }
        });
        refusedVariants.forEach(r -> System.out.println("  refused: " + r));
        failures.forEach(f -> System.out.println("  FAIL: " + f));
        assertTrue(failures.isEmpty(), failures.size() + " conformance failures, first: "
                + (failures.isEmpty() ? "" : failures.get(0)));
        assertTrue(passed > 300, "only " + passed + " tests passed");
    }

    /** Runs one test directory; null when it is not a single-node float32 test. */
    private static Outcome run(Path dir) throws Exception {
        Path modelFile = dir.resolve("model.onnx");
        Path data = dir.resolve("test_data_set_0");
        if (!Files.exists(modelFile) || !Files.isDirectory(data)) {
            return null;
        }
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(modelFile));
        GraphProto g = model.getGraph();
        if (g.getNodeCount() != 1) {
            return null;
        }
        NodeProto node = g.getNode(0);
        String test = dir.getFileName().toString();
        String op = (node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx") ? "" : node.getDomain() + ":")
                + node.getOpType();
        for (ValueInfoProto v : g.getInputList()) {
            if (!v.getType().hasTensorType()) {
                return null;
            }
        }
        List<TensorProto> inputs = new ArrayList<>();
        for (int i = 0; i < g.getInputCount(); i++) {
            Path p = data.resolve("input_" + i + ".pb");
            if (!Files.exists(p)) {
                return null;
            }
            inputs.add(TensorProto.parseFrom(Files.readAllBytes(p)));
        }
        List<TensorProto> expected = new ArrayList<>();
        for (int i = 0; i < g.getOutputCount(); i++) {
            expected.add(TensorProto.parseFrom(Files.readAllBytes(data.resolve("output_" + i + ".pb"))));
        }
        if (inputs.isEmpty() || inputs.get(0).getDataType() != TensorProto.DataType.FLOAT_VALUE
                || expected.stream().anyMatch(t -> t.getDataType() != TensorProto.DataType.FLOAT_VALUE)) {
            return null;
        }
        // the first input stays the model's input; the others become initializers, as a runner with one input must
        GraphProto.Builder gb = g.toBuilder().clearInput().addInput(g.getInput(0));
        for (int i = 1; i < inputs.size(); i++) {
            gb.addInitializer(inputs.get(i).toBuilder().setName(g.getInput(i).getName()));
        }
        byte[] bytes = model.toBuilder().setGraph(gb).build().toByteArray();
        boolean supported = OnnxTranslation.supported().contains(op);
        TensorDecoder decoder = new TensorDecoder(null);
        try (Model m = Model.fromOnnx(bytes, test, null)) {
            if (!supported) {
                return new Outcome(test, op, "loaded-unsupported", "an op circuitscope does not list loaded");
            }
            Tensor x = new Tensor(TensorDecoder.dims(inputs.get(0)), decoder.floats(inputs.get(0)));
            String[] names = g.getOutputList().stream().map(ValueInfoProto::getName).toArray(String[]::new);
            Map<String, Tensor> actual;
            try {
                actual = m.run(x, names);
            } catch (ModelException e) {
                return new Outcome(test, op, "run-error", e.getMessage());
            }
            for (int i = 0; i < names.length; i++) {
                String problem = compare(actual.get(names[i]), expected.get(i), decoder);
                if (problem != null) {
                    return new Outcome(test, op, "wrong", names[i] + ": " + problem);
                }
            }
            return new Outcome(test, op, "pass", "");
        } catch (ModelException e) {
            String msg = e.getMessage() == null ? "" : e.getMessage();
            if (!supported) {
                boolean named = msg.contains(node.getOpType());
                return new Outcome(test, op, named ? "refused-unsupported" : "unclear-refusal", msg);
            }
            // a variant refused at load names its node and op, and does not blame the input size
            if (!msg.contains("(" + node.getOpType() + ")") || msg.contains("input size")) {
                return new Outcome(test, op, "unclear-refusal", msg);
            }
            return new Outcome(test, op, "refused-variant", msg.length() > 220 ? msg.substring(0, 220) + "…" : msg);
        } catch (RuntimeException e) {
            return new Outcome(test, op, "internal-error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static String compare(Tensor actual, TensorProto expectedProto, TensorDecoder decoder) {
        long[] shape = TensorDecoder.dims(expectedProto);
        if (!java.util.Arrays.equals(shape, actual.shape())) {
            return "shape " + java.util.Arrays.toString(actual.shape()) + ", expected "
                    + java.util.Arrays.toString(shape);
        }
        float[] e = decoder.floats(expectedProto);
        float[] a = actual.data();
        for (int i = 0; i < e.length; i++) {
            if (Float.isNaN(e[i]) ? !Float.isNaN(a[i]) : Float.isInfinite(e[i]) ? a[i] != e[i]
                    : !(Math.abs(a[i] - e[i]) <= ATOL + RTOL * Math.abs(e[i]))) {
                return "element " + i + " is " + a[i] + ", expected " + e[i];
            }
        }
        return null;
    }
}
