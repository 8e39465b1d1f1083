package org.circuitscope.model;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.circuitscope.display.Displayable;
import org.circuitscope.graph.Graph;
import org.circuitscope.graph.Node;
import org.circuitscope.graph.UnsupportedVariantException;
import org.circuitscope.graph.Value;
import org.circuitscope.model.ort.Forward;
import org.circuitscope.model.ort.OnnxSource;
import org.circuitscope.model.ort.OrtExecutor;
import org.circuitscope.onnx.OnnxImporter;
import org.circuitscope.tensor.Tensor;

/**
 * A network as a white box: every intermediate value addressable by its layer name, every weight readable, and the
 * gradient of any objective over activations with respect to the input image one call away. Inputs are RGB images
 * with values in [0, 1]; the model's own preprocessing ({@link InputSpec}) is applied inside, differentiably.
 * Weights stay frozen: they never require gradients. Close the model to free its native memory.
 */
public final class Model implements AutoCloseable, Displayable {
    private final String name;
    private final String source;
    private final Graph graph;
    private final InputSpec input;
    private final String inputOrigin;
    private final long[] declaredShape;
    private final List<String> labels;
    private final Map<String, String> metadata;
    private final SharedWeights weights;
    private final NDManager manager;
    private final LayerGraph layers;
    private final Map<String, String> aliases = new HashMap<>();
    /** Parameters not tied to a graph node (a TorchScript module's), by name. */
    private final Map<String, NDArray> extraParameters;
    /** The ONNX file the graph was imported from, unmodified; null when there is none (then {@link #noOnnx} says why). */
    private final OnnxSource onnx;
    private final String noOnnx;
    /** Forward passes without gradients on ONNX Runtime (made on first use, closed with the model). */
    private OrtExecutor ort;
    private volatile boolean closed;

    /** What an importer read from a file, before circuitscope prepares it into a model. */
    public record Imported(Graph graph, long[] inputShape, InputSpec fileSpec, List<String> labels,
                           Map<String, String> metadata, Map<String, NDArray> extraParameters) {
        public Imported {
            labels = labels == null ? List.of() : List.copyOf(labels);
            metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
            extraParameters = extraParameters == null ? Map.of() : Map.copyOf(extraParameters);
        }
    }

    private Model(String name, String source, Graph graph, InputSpec input, long[] declaredShape, String inputOrigin,
                  List<String> labels,
                  Map<String, String> metadata, Map<String, NDArray> extraParameters, SharedWeights weights,
                  NDManager manager, OnnxSource onnx, String noOnnx) {
        this.name = name;
        this.onnx = onnx;
        this.noOnnx = noOnnx;
        this.source = source;
        this.graph = graph;
        this.input = input;
        this.inputOrigin = inputOrigin;
        this.declaredShape = declaredShape == null ? null : declaredShape.clone();
        this.labels = List.copyOf(labels);
        this.metadata = Map.copyOf(metadata);
        this.extraParameters = Map.copyOf(extraParameters);
        this.weights = weights;
        this.manager = manager;
        for (Node n : graph.nodes()) {
            if (!n.name().equals(n.output())) {
                aliases.putIfAbsent(n.name(), n.output());
            }
        }
        this.layers = new LayerGraph(name, probeLayers(), aliases);
        checkLabels(this.labels);
    }

    /**
     * A model from what an importer read. {@code spec} (may be null) overrides the preprocessing the file states;
     * with neither, plain [0, 1] input at the declared size is assumed and {@link #inputOrigin()} says so.
     * {@code labels} (may be empty) replace the file's own. Constant subgraphs are folded, and a Reshape to a
     * literal batch of 1 is generalised to any batch. The model owns {@code manager} from here on.
     */
    public static Model of(String name, String source, Imported imported, InputSpec spec, List<String> labels,
                           NDManager manager) {
        return of(name, source, imported, spec, labels, manager, null, "it was not imported from an ONNX file");
    }

    private static Model of(String name, String source, Imported imported, InputSpec spec, List<String> labels,
                            NDManager manager, OnnxSource onnx, String noOnnx) {
        try {
            InputSpec declared = defaultSpec(imported.inputShape());
            InputSpec chosen;
            String origin;
            if (spec != null) {
                chosen = fit(spec, declared, name);
                origin = "given";
            } else if (imported.fileSpec() != null) {
                chosen = fit(imported.fileSpec(), declared, name);
                origin = "from the file";
            } else {
                chosen = declared;
                origin = "assumed: the file states no preprocessing, so values in [0, 1] at the declared size; give "
                        + "--range/--mean/--std (InputSpec) if the model was trained otherwise";
            }
            Graph prepared = BatchGeneralisation.apply(imported.graph().foldConstants(manager), manager);
            List<String> chosenLabels = labels != null && !labels.isEmpty() ? labels : imported.labels();
            return new Model(name, source, prepared, chosen, imported.inputShape(), origin, chosenLabels, imported.metadata(),
                    imported.extraParameters(), new SharedWeights(manager), manager, onnx, noOnnx);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The user's spec with the model's channel count when it did not say (a grey or N-channel model). */
    private static InputSpec fit(InputSpec spec, InputSpec declared, String name) {
        if (spec.channels() == declared.channels()) {
            return spec;
        }
        try {
            return spec.withChannels(declared.channels());
        } catch (ModelException e) {
            throw new ModelException("model '" + name + "' takes " + declared.channels() + " input channels, but the "
                    + "preprocessing given is for " + spec.channels() + ": " + e.getMessage());
        }
    }

    /** Loads an ONNX file; preprocessing comes from {@code spec} when given, else from the model's metadata. */
    public static Model fromOnnx(Path file, String name, InputSpec spec) {
        return fromOnnx(file, name, spec, List.of());
    }

    /** As {@link #fromOnnx(Path, String, InputSpec)}, with class labels that replace the file's own. */
    public static Model fromOnnx(Path file, String name, InputSpec spec, List<String> labels) {
        byte[] bytes = Models.readFile(file);
        NDManager manager = DjlSetup.engine().newBaseManager();
        OnnxImporter.Imported imported;
        try {
            imported = OnnxImporter.build(OnnxImporter.parse(bytes, file.getFileName().toString()),
                    file.toAbsolutePath().getParent(), manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        return of(name, file.toString(), onnx(imported), spec, labels, manager, OnnxSource.ofFile(file, bytes), null);
    }

    public static Model fromOnnx(byte[] bytes, String name, InputSpec spec) {
        NDManager manager = DjlSetup.engine().newBaseManager();
        OnnxImporter.Imported imported;
        try {
            imported = OnnxImporter.load(bytes, name, manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        return of(name, name, onnx(imported), spec, List.of(), manager, OnnxSource.ofBytes(bytes), null);
    }

    private static Imported onnx(OnnxImporter.Imported imported) {
        Map<String, String> meta = imported.metadata();
        boolean states = meta.keySet().stream().anyMatch(k -> k.startsWith("input."));
        InputSpec fileSpec = states ? InputSpec.fromMetadata(meta, defaultSpec(imported.inputShape())) : null;
        List<String> labels = new ArrayList<>();
        String l = meta.get("labels");
        if (l != null && !l.isBlank()) {
            labels.addAll(Arrays.asList(l.split("\n")));
        }
        return new Imported(imported.graph(), imported.inputShape(), fileSpec, labels, meta, Map.of());
    }

    /**
     * Loads a frozen TensorFlow graph ({@code .pb}). GraphDefs carry no preprocessing, so {@code spec} is needed
     * unless the network takes [0, 1] values at the size its input placeholder declares.
     */
    public static Model fromTensorFlow(Path file, String name, InputSpec spec, List<String> labels) {
        NDManager manager = DjlSetup.engine().newBaseManager();
        org.circuitscope.tf.GraphDefImporter.Imported imported;
        try {
            imported = org.circuitscope.tf.GraphDefImporter.load(file, manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        return of(name, file.toString(), new Imported(imported.graph(), imported.inputShape(), null, List.of(),
                Map.of(), Map.of()), spec, labels, manager);
    }

    /**
     * Loads a TorchScript module ({@code .pt}). Its layers are what it returns: a tensor, or a
     * {@code Dict[str, Tensor]} of named intermediates (the export recipe in the README). TorchScript carries no
     * preprocessing, so give {@code spec} unless the module takes RGB [0, 1] at 224×224.
     */
    public static Model fromTorchScript(Path file, String name, InputSpec spec, List<String> labels) {
        NDManager manager = DjlSetup.engine().newBaseManager();
        InputSpec chosen = spec != null ? spec : InputSpec.rgb01(224);
        org.circuitscope.torchscript.TorchScriptImporter.Imported imported;
        try {
            imported = org.circuitscope.torchscript.TorchScriptImporter.load(file, manager, chosen.height(),
                    chosen.width());
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        return of(name, file.toString(), new Imported(imported.graph(), chosen.shape(1), null, List.of(), Map.of(),
                imported.parameters()), chosen, labels, manager);
    }

    /**
     * Loads a TensorFlow Lite file ({@code .tflite}). Its preprocessing comes from the input quantisation (or the
     * file's metadata) and its class names from the label file packed in it; {@code spec} and a non-empty
     * {@code labels} replace them.
     */
    public static Model fromTfLite(Path file, String name, InputSpec spec, List<String> labels) {
        NDManager manager = DjlSetup.engine().newBaseManager();
        Imported imported;
        try {
            imported = org.circuitscope.tflite.TfLiteImporter.load(file, manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        return of(name, file.toString(), imported, spec, labels, manager);
    }

    private static InputSpec defaultSpec(long[] declared) {
        long[] inputShape = declared == null ? new long[0] : declared;
        int h = inputShape.length == 4 && inputShape[2] > 0 ? (int) inputShape[2] : 224;
        int w = inputShape.length == 4 && inputShape[3] > 0 ? (int) inputShape[3] : h;
        int c = inputShape.length >= 2 && inputShape[1] > 0 ? (int) inputShape[1] : inputShape.length == 4
                || declared == null ? 3 : 1;
        return InputSpec.plain(h, w, c);
    }

    /**
     * The same network with other preprocessing (input size, mean, std, channel order). It shares the weights:
     * they stay alive until every model that shares them is closed.
     */
    public Model withInput(InputSpec spec) {
        ensureOpen();
        return derived(fit(spec, input, name), "given", labels);
    }

    /** The same network with class labels (one per output class, in order); shares the weights like withInput. */
    public Model withLabels(List<String> classLabels) {
        ensureOpen();
        return derived(input, inputOrigin, classLabels);
    }

    /**
     * A control for universality: the same architecture with the values of every weight tensor (every float
     * parameter of rank 2 or more: kernels, depthwise filters, fully connected matrices) shuffled among themselves,
     * with a fixed seed. Each tensor keeps its distribution of values, so activations keep their scale through the
     * layers, but nothing learned survives. Biases and normalisation parameters (rank 1) are kept. The copy has its
     * own weights; close it like any model. TorchScript modules, whose parameters live in their own code, are refused.
     */
    public Model withShuffledWeights(long seed) {
        ensureOpen();
        if (!extraParameters.isEmpty()) {
            throw new ModelException("model '" + name + "' keeps parameters inside TorchScript code; its weights "
                    + "cannot be shuffled");
        }
        NDManager m = DjlSetup.engine().newBaseManager();
        try {
            java.util.Random random = new java.util.Random(seed);
            Map<String, Value> consts = new LinkedHashMap<>();
            int shuffled = 0;
            for (Map.Entry<String, Value> e : graph.constants().entrySet()) {
                if (e.getValue() instanceof Value.Array a) {
                    NDArray arr = a.array();
                    NDArray copy;
                    if (arr.getDataType() == DataType.FLOAT32 && arr.getShape().dimension() >= 2 && arr.size() > 1) {
                        float[] v = arr.toFloatArray();
                        for (int i = v.length - 1; i > 0; i--) {
                            int j = random.nextInt(i + 1);
                            float t = v[i];
                            v[i] = v[j];
                            v[j] = t;
                        }
                        copy = m.create(v, arr.getShape());
                        shuffled++;
                    } else {
                        copy = arr.duplicate();
                        copy.attach(m);
                    }
                    consts.put(e.getKey(), new Value.Array(copy));
                } else {
                    consts.put(e.getKey(), e.getValue());
                }
            }
            if (shuffled == 0) {
                throw new ModelException("model '" + name + "' has no float weight tensors to shuffle");
            }
            Graph g = new Graph(graph.input(), consts, graph.nodes(), graph.outputs());
            return new Model(name + "-shuffled" + seed, source, g, input, declaredShape, inputOrigin, labels,
                    metadata, Map.of(), new SharedWeights(m), m, null, "its weights are shuffled "
                    + "(withShuffledWeights), not the file's");
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    private Model derived(InputSpec spec, String origin, List<String> classLabels) {
        weights.retain();
        NDManager sub = weights.manager().newSubManager();
        try {
            return new Model(name, source, graph, spec, declaredShape, origin, classLabels, metadata, extraParameters,
                    weights, sub, onnx, noOnnx);
        } catch (RuntimeException e) {
            sub.close();
            weights.release();
            throw e;
        }
    }

    private void checkLabels(List<String> classLabels) {
        if (classLabels.isEmpty()) {
            return;
        }
        Layer out = layers.get(classOutput());
        long classes = out.channels();
        if (classes != classLabels.size()) {
            throw new ModelException("model '" + name + "' has " + classes + " classes in '" + out.name() + "', but "
                    + classLabels.size() + " label" + (classLabels.size() == 1 ? " was" : "s were") + " given"
                    + (classes == classLabels.size() + 1 ? " (a background class first? then add it to the labels)"
                    : ""));
        }
    }

    public String name() {
        return name;
    }

    public String source() {
        return source;
    }

    public InputSpec input() {
        return input;
    }

    /** Where the preprocessing came from: "given", "from the file", or what was assumed and why. */
    public String inputOrigin() {
        return inputOrigin;
    }

    public List<String> labels() {
        return labels;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public LayerGraph layers() {
        return layers;
    }

    /** The graph's declared outputs (e.g. logits, prob). */
    public List<String> outputs() {
        return graph.outputs();
    }

    /** The output to read class scores from: the first output called like "logits", else the first output. */
    public String classOutput() {
        return graph.outputs().stream().filter(o -> o.toLowerCase().contains("logit")).findFirst()
                .orElse(graph.outputs().get(0));
    }

    // ---- running

    /**
     * The low-level forward pass, for code that builds its own differentiable computations (feature
     * visualisation): {@code rgb01} is an N×3×H×W array; results are attached to its manager. Works inside a
     * {@link GradientCollector}.
     */
    public Map<String, NDArray> forward(NDArray rgb01, Collection<String> layerNames) {
        return forward(rgb01, Map.of(), layerNames);
    }

    /**
     * Like {@link #forward(NDArray, Collection)}, but with the activations of some layers given instead of computed
     * (for example a copy that requires gradients, to differentiate a later layer with respect to an earlier one).
     * Layers not downstream of a given one are computed from {@code rgb01} as usual.
     */
    public Map<String, NDArray> forward(NDArray rgb01, Map<String, NDArray> given, Collection<String> layerNames) {
        ensureOpen();
        List<String> names = resolve(layerNames);
        Map<String, NDArray> givenValues = new LinkedHashMap<>();
        given.forEach((k, v) -> givenValues.put(layers.get(k).name(), v));
        NDManager m = rgb01.getManager();
        NDArray x = input.toModelSpace(rgb01);
        Map<String, NDArray> raw;
        try {
            raw = graph.run(x, givenValues, names, m);
        } catch (EngineException | ModelException e) {
            throw new ModelException(describeFailure(rgb01.getShape(), e.getMessage()), e);
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        Iterator<String> wanted = layerNames.iterator();
        for (String n : names) {
            out.put(wanted.next(), raw.get(n));
        }
        return out;
    }

    /**
     * The forward pass of a job that takes no gradient (dataset activations and examples): the same values as
     * {@link #forward(NDArray, Collection)}, computed on ONNX Runtime ({@link OrtExecutor}) when {@code mode} allows
     * it and the model can run there, else on the model's own graph on DJL. {@link Forward#AUTO} falls back to DJL
     * silently (see {@link OrtExecutor} for when: models not imported from ONNX, derived weights, …; an input that
     * records a gradient always runs on DJL); {@link Forward#ORT} refuses with the reason instead. Results are
     * attached to {@code rgb01}'s manager.
     */
    public Map<String, NDArray> infer(NDArray rgb01, Collection<String> layerNames, Forward mode) {
        ensureOpen();
        Forward chosen = mode == null ? Forward.configured() : mode;
        List<String> names = resolve(layerNames);
        Forward.Choice choice = choose(names, rgb01.getShape().getShape(), chosen, rgb01.hasGradient());
        if (choice.engine() == Forward.DJL) {
            if (chosen == Forward.ORT) {
                throw new ModelException("model '" + name + "' cannot run on ONNX Runtime: " + choice.reason());
            }
            return forward(rgb01, layerNames);
        }
        NDManager m = rgb01.getManager();
        NDArray x = input.toModelSpace(rgb01);
        Map<String, NDArray> raw;
        try {
            raw = ort.run(x, names, m, xs -> runGraph(xs, names, m, rgb01.getShape()));
        } catch (OrtExecutor.Refused e) {
            if (chosen == Forward.ORT) {
                throw new ModelException("model '" + name + "' cannot run on ONNX Runtime: " + e.getMessage(), e);
            }
            raw = runGraph(x, names, m, rgb01.getShape());
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        Iterator<String> wanted = layerNames.iterator();
        for (String n : names) {
            out.put(wanted.next(), raw.get(n));
        }
        return out;
    }

    /** {@link #infer(NDArray, Collection, Forward)} with the executor {@link Forward#configured()} names. */
    public Map<String, NDArray> infer(NDArray rgb01, Collection<String> layerNames) {
        return infer(rgb01, layerNames, null);
    }

    /**
     * Which executor {@link #infer} would run these layers on for a batch of the model's input size, and why: ONNX
     * Runtime, or DJL with the reason it cannot be ONNX Runtime (as far as is known before a session is built and
     * checked on its first batch; a refusal found then is reported from then on).
     */
    public Forward.Choice forwardChoice(Collection<String> layerNames, Forward mode) {
        ensureOpen();
        Forward chosen = mode == null ? Forward.configured() : mode;
        return choose(resolve(layerNames), probeShape(), chosen, false);
    }

    /** This model's ONNX Runtime executor (its sessions and counters), or null when it was not imported from ONNX. */
    public OrtExecutor onnxRuntime() {
        ensureOpen();
        return ortExecutor();
    }

    private Forward.Choice choose(List<String> names, long[] shape, Forward mode, boolean gradient) {
        if (mode == Forward.DJL) {
            return new Forward.Choice(Forward.DJL, "asked for (" + Forward.PROPERTY + "=djl or Forward.DJL)");
        }
        if (gradient) {
            return new Forward.Choice(Forward.DJL, "the input records a gradient");
        }
        OrtExecutor ex = ortExecutor();
        if (ex == null) {
            return new Forward.Choice(Forward.DJL, noOnnx);
        }
        String refusal = ex.refusal(names, shape);
        if (refusal != null) {
            return new Forward.Choice(Forward.DJL, refusal);
        }
        return new Forward.Choice(Forward.ORT, "ONNX Runtime, " + OrtExecutor.threads() + " intra-op thread"
                + (OrtExecutor.threads() == 1 ? "" : "s"));
    }

    private synchronized OrtExecutor ortExecutor() {
        if (ort == null && onnx != null && !closed) {
            // what the importer runs each constant-target Reshape with (generalised to any batch or not)
            Map<String, long[]> targets = new HashMap<>();
            for (Node n : graph.nodes()) {
                if (n.op().equals("Reshape") && !graph.isOpaque(n) && n.inputs().size() > 1
                        && graph.constants().get(n.inputs().get(1)) instanceof Value.Ints t) {
                    targets.put(n.outputs().get(0), t.data().clone());
                }
            }
            ort = OrtExecutor.of(name, onnx, graph.input(), targets, declaredShape);
        }
        return ort;
    }

    private Map<String, NDArray> runGraph(NDArray x, List<String> names, NDManager m, Shape shape) {
        try {
            return graph.run(x, Map.of(), names, m);
        } catch (EngineException | ModelException e) {
            throw new ModelException(describeFailure(shape, e.getMessage()), e);
        }
    }

    /**
     * Runs only what lies downstream of the given layers' activations up to {@code layerNames}: as the network is,
     * or linearised (activation functions as identity, max pools as average pools, biases dropped, values off the
     * path as zero; see {@link org.circuitscope.ops.Linearity}). A path that needs a value neither given nor
     * computed from what is given fails naming it (as the network is) or reads it as zero (linearised). Results are
     * attached to {@code manager}; in linearised runs a value that is zero there comes back null.
     */
    public Map<String, NDArray> forwardDownstream(Map<String, NDArray> given, Collection<String> layerNames,
                                                  boolean linear, NDManager manager) {
        ensureOpen();
        Map<String, NDArray> givenValues = new LinkedHashMap<>();
        given.forEach((k, v) -> givenValues.put(layers.get(k).name(), v));
        List<String> names = resolve(layerNames);
        Map<String, NDArray> raw;
        try {
            raw = graph.runDownstream(givenValues, names, linear, v -> layers.get(v).channels(), manager);
        } catch (EngineException | ModelException e) {
            throw new ModelException("model '" + name + "': " + e.getMessage(), e);
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        Iterator<String> wanted = layerNames.iterator();
        for (String n : names) {
            out.put(wanted.next(), raw.get(n));
        }
        return out;
    }

    /** The node of the op vocabulary that computes a layer (its op, inputs in order, and attributes). */
    public Node node(String layer) {
        ensureOpen();
        Node n = graph.producer(layers.get(layer).name());
        if (n == null) {
            throw new ModelException("layer '" + layer + "' is the model's input; no node computes it");
        }
        return n;
    }

    /** A constant of the graph (a weight, or integers such as a shape), or null when the name is not a constant. */
    public Value constant(String name) {
        ensureOpen();
        return graph.constants().get(name);
    }

    private String describeFailure(Shape shape, String message) {
        String sizeNote = shape.dimension() == 4 && (shape.get(2) != input.height() || shape.get(3) != input.width())
                ? " (the input is " + shape.get(2) + "x" + shape.get(3) + "; the model was built for "
                + input.height() + "x" + input.width() + ")" : "";
        return "model '" + name + "' could not run on a batch of shape " + shape + sizeNote + ": " + message;
    }

    /** Activations of the named layers for a batch of RGB [0, 1] images (N×3×H×W). */
    public Map<String, Tensor> run(Tensor rgb01, String... layerNames) {
        checkInput(rgb01);
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(rgb01.data(), new Shape(rgb01.shape()));
            Map<String, NDArray> acts = forward(x, Arrays.asList(layerNames));
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : acts.entrySet()) {
                out.put(e.getKey(), toTensor(e.getValue()));
            }
            return out;
        }
    }

    /** Activations for images, resized to the model's input size when they differ. */
    public Map<String, Tensor> run(List<BufferedImage> images, String... layerNames) {
        if (images.isEmpty()) {
            throw new ModelException("no images to run");
        }
        return run(input.images(images), layerNames);
    }

    /**
     * The value of {@code objective} on the batch and its gradient with respect to the RGB [0, 1] input. The
     * objective's value is summed over whatever it returns, so a per-image vector gives per-image gradients.
     */
    public GradientResult gradient(Tensor rgb01, Objective objective) {
        checkInput(rgb01);
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(rgb01.data(), new Shape(rgb01.shape()));
            x.setRequiresGradient(true);
            try (GradientCollector gc = DjlSetup.engine().newGradientCollector()) {
                Map<String, NDArray> acts = forward(x, objective.layers());
                NDArray v = objective.value(acts).sum();
                gc.backward(v);
                return new GradientResult(v.getFloat(), toTensor(x.getGradient()));
            }
        }
    }

    /** Class scores (the {@link #classOutput()}) for each image: N×classes. */
    public Tensor logits(List<BufferedImage> images) {
        return run(images, classOutput()).get(classOutput());
    }

    // ---- weights

    /** The parameters of the node computing a layer (kernel, bias, …), by their names in the model, as copies. */
    public Map<String, Tensor> parameters(String layer) {
        ensureOpen();
        Layer l = layers.get(layer);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String p : l.parameters()) {
            out.put(p, toTensor(graph.constants().get(p).array()));
        }
        return out;
    }

    /** Every parameter of the model by name (for TorchScript modules: their dotted names, e.g. conv1.weight). */
    public List<String> parameterNames() {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, Value> e : graph.constants().entrySet()) {
            if (e.getValue() instanceof Value.Array) {
                names.add(e.getKey());
            }
        }
        names.addAll(extraParameters.keySet());
        return names;
    }

    /** One parameter by name, as a copy. */
    public Tensor parameter(String parameterName) {
        ensureOpen();
        NDArray a = extraParameters.get(parameterName);
        if (a == null && graph.constants().get(parameterName) instanceof Value.Array v) {
            a = v.array();
        }
        if (a == null) {
            throw new ModelException("no parameter '" + parameterName + "'; closest: "
                    + String.join(", ", Names.closest(parameterName, parameterNames(), 5)));
        }
        return toTensor(a);
    }

    /** The main weight of a layer: for a convolution, its kernel out×in×kh×kw. */
    public Tensor weights(String layer) {
        Map<String, Tensor> p = parameters(layer);
        if (p.isEmpty()) {
            Layer l = layers.get(layer);
            throw new ModelException("layer '" + l.name() + "' (" + l.op() + ") has no weights; layers with "
                    + "weights: " + layers.all().stream().filter(x -> !x.parameters().isEmpty()).map(Layer::name)
                    .limit(12).toList());
        }
        return p.values().iterator().next();
    }

    /**
     * How many native arrays the model's weights manager holds right now, its sub-managers' included: the weights,
     * plus whatever a caller's open managers hold. A forward pass or a feature-visualisation run that leaves this
     * number higher than it found it leaks native memory for as long as the model lives.
     */
    public int nativeArrays() {
        ensureOpen();
        return weights.manager().getManagedArrays().size();
    }

    /** A manager for caller-side arrays that lives no longer than this model; close it when done. */
    public NDManager newManager() {
        ensureOpen();
        return manager.newSubManager();
    }

    // ---- internals

    private List<String> resolve(Collection<String> names) {
        List<String> r = new ArrayList<>(names.size());
        for (String n : names) {
            r.add(layers.get(n).name());
        }
        return r;
    }

    private void checkInput(Tensor t) {
        ensureOpen();
        long[] s = t.shape();
        long[] probe = probeShape();
        if (probe.length != 4) {
            if (s.length != probe.length) {
                throw new ModelException("model '" + name + "' takes a tensor of rank " + probe.length + " (like "
                        + Arrays.toString(probe) + "), not one of shape " + Arrays.toString(s));
            }
            return;
        }
        if (s.length != 4) {
            throw new ModelException("input must be a batch N×" + input.channels() + "×H×W, not a tensor of shape "
                    + Arrays.toString(s));
        }
        if (s[1] != input.channels()) {
            throw new ModelException("model '" + name + "' takes " + input.channels() + " input channels, not "
                    + s[1] + " (shape " + Arrays.toString(s) + ")");
        }
        if (s[0] == 0) {
            throw new ModelException("input batch is empty");
        }
        int bad = t.firstNonFinite();
        if (bad >= 0) {
            throw new ModelException("input contains a non-finite value (" + t.data()[bad] + ") at flat index "
                    + bad + "; images must hold finite values in [0, 1]");
        }
    }

    /**
     * The shape of one input the layers are probed with: 1×C×H×W from the preprocessing for image models, else
     * the declared shape with unknown dimensions as 1 (models of 1-D signals, the conformance suite's tensors).
     */
    private long[] probeShape() {
        if (declaredShape == null || declaredShape.length == 4) {
            long[] s = input.shape(1);
            if (declaredShape != null && declaredShape[0] > 0) {
                s[0] = declaredShape[0];
            }
            return s;
        }
        long[] s = declaredShape.clone();
        for (int i = 0; i < s.length; i++) {
            s[i] = s[i] >= 0 ? s[i] : 1;
        }
        return s;
    }

    private void ensureOpen() {
        if (closed) {
            throw new ModelException("model '" + name + "' is closed");
        }
    }

    static Tensor toTensor(NDArray a) {
        NDArray f = a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false);
        return new Tensor(a.getShape().getShape(), f.toFloatArray());
    }

    private List<Layer> probeLayers() {
        List<Layer> result = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (Node n : graph.nodes()) {
            for (String o : n.outputs()) {
                if (graph.computes(o)) {
                    all.add(o);
                }
            }
        }
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.zeros(new Shape(probeShape()));
            Map<String, Value> values;
            try {
                values = graph.runValues(input.toModelSpace(x), all, m);
            } catch (UnsupportedVariantException e) {
                throw new ModelException("model '" + name + "' is refused: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new ModelException("model '" + name + "' does not run on a " + input.height() + "x"
                        + input.width() + " input with " + input.channels() + " channels: " + e.getMessage()
                        + ". Give the right input size (e.g. %model load … --input-size S)", e);
            }
            result.add(new Layer(graph.input(), "Input", List.of(), probeShape(), List.of(), 0));
            for (Node n : graph.nodes()) {
                Set<String> activationInputs = new LinkedHashSet<>();
                List<String> params = new ArrayList<>();
                long count = 0;
                for (String in : n.inputs()) {
                    Value c = graph.constants().get(in);
                    if (in.isEmpty()) {
                        continue;
                    }
                    if (c == null) {
                        activationInputs.add(in);
                    } else if (c instanceof Value.Array a && !params.contains(in)) {
                        params.add(in);
                        count += a.array().getShape().size();
                    }
                }
                String op = graph.isOpaque(n) ? n.op() : n.op();
                for (int k = 0; k < n.outputs().size(); k++) {
                    Value v = values.get(n.outputs().get(k));
                    if (v instanceof Value.Array a) {
                        result.add(new Layer(n.outputs().get(k), op, List.copyOf(activationInputs),
                                a.array().getShape().getShape(), k == 0 ? params : List.of(),
                                k == 0 ? count : 0, n.attributes()));
                    }
                }
            }
        }
        return result;
    }

    @Override
    public Map<String, Object> representations() {
        return Map.of("text/plain", toString(), "text/html", ModelSummary.html(this));
    }

    @Override
    public String toString() {
        return "Model '" + name + "' from " + source + ": " + layers.all().size() + " layers, input " + input
                + (inputOrigin.startsWith("assumed") ? " (" + inputOrigin + ")" : "")
                + (labels.isEmpty() ? "" : ", " + labels.size() + " classes");
    }

    /** Closes this model; the weights it shares are freed when the last model sharing them is closed. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ort != null) {
            ort.close();
        }
        if (manager != weights.manager()) {
            manager.close();
        }
        weights.release();
    }
}
