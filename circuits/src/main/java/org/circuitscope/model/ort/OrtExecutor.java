package org.circuitscope.model.ort;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.circuitscope.onnx.OnnxImporter;
import org.circuitscope.onnx.proto.Onnx.ModelProto;

/**
 * A forward pass with no gradient on ONNX Runtime, for a model whose graph was imported from an ONNX file and left
 * as it was: the dataset jobs' executor ({@link Forward}). circuitscope's own graph on DJL/libtorch stays the model
 * (every layer, every weight, gradients); this runs the same file's layers in ONNX Runtime, whose CPU kernels are
 * faster for inference (SqueezeNet at batch 16: about 200 ms against libtorch's 466 ms; docs/scale.md).
 *
 * <p>For each set of layers asked for (and input shape beyond the batch) it builds one session over the original
 * ONNX bytes, cut down to what those layers need and with them as the graph's outputs, the batch dimension made
 * symbolic (and height and width too when the model runs at another input size than the file declares), and every
 * Reshape that circuitscope's importer reads as batch-generic given the same target; layer names are the ONNX value
 * names (the importer names each layer after the value its node computes). Sessions are cached per layer set (at
 * most {@value #MAX_SESSIONS} per model, the least recently used closed first, once no run is using it) and closed
 * with the model. Each run's input and output tensors ({@code OnnxTensor}, {@code OrtSession.Result}) are closed
 * before it returns; its outputs come back as DJL arrays on the caller's manager, as the DJL forward pass returns
 * them.
 *
 * <p>The first run of every new session is checked against the model's own graph on the same batch: every layer
 * must agree within 1e-4 of its largest magnitude (at least 1), or the session is dropped and that layer set runs
 * on DJL from then on (a layer set that passed is not checked again in this JVM for the same file bytes). So a file whose semantics in ONNX Runtime differ from circuitscope's reading of it falls back
 * to DJL rather than giving other numbers. Not run here at all (the caller runs DJL, silently under
 * {@link Forward#AUTO}, with this reason under {@link Forward#ORT}): models not imported from ONNX (TensorFlow
 * GraphDef, TensorFlow Lite, TorchScript), models with derived weights ({@code withShuffledWeights}), files with
 * external data, float16/float64/bfloat16 or quantised tensors or casts to such types, a file changed on disk since
 * it was loaded, the image input asked for as a layer, a session ONNX Runtime refuses to build or run (its message
 * is kept), and passes with values given in place of a layer's or inputs that record gradients.
 *
 * <p>Threads: each session uses {@link #threads()} intra-op threads: the system property {@value #THREADS_PROPERTY}
 * when set, else the same number as libtorch's intra-op setting ({@code ai.djl.pytorch.num_threads}, by default the
 * cores). A change takes effect for the sessions built after it (the thread count is part of the cache key). Idle
 * workers sleep rather than spin ({@code session.intra_op.allow_spinning} 0), leaving the core to the thread that
 * reads the next batch.
 */
public final class OrtExecutor implements AutoCloseable {
    /** Intra-op threads of new sessions (default: libtorch's setting). */
    public static final String THREADS_PROPERTY = "circuitscope.ort.threads";
    /** Sessions kept per model. */
    public static final int MAX_SESSIONS = 8;
    /** A first run must agree with the DJL graph within this fraction of each layer's largest magnitude (≥ 1). */
    static final float VERIFY_TOLERANCE = 1e-4f;

    private static volatile OrtEnvironment environment;
    /**
     * The layer sets whose first batch agreed with the DJL graph, by file digest: a model loaded again from the same
     * bytes (each Spark job loads its broadcast model anew) is not checked again.
     */
    private static final Set<String> VERIFIED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final String modelName;
    private final OnnxSource source;
    private final String imageInput;
    private final Map<String, long[]> reshapeTargets;
    private final long[] declaredInput;
    private String modelRefusal;
    private boolean checked;
    private final LinkedHashMap<Key, Entry> sessions = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<Key, String> refused = new HashMap<>();
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong created = new AtomicLong();
    private final AtomicInteger openSessions = new AtomicInteger();
    private final AtomicInteger openValues = new AtomicInteger();
    private boolean closed;

    /** Thrown when ONNX Runtime cannot run a pass; the caller runs the model's own graph instead. */
    public static final class Refused extends RuntimeException {
        Refused(String reason) {
            super(reason);
        }
    }

    private record Key(List<String> layers, long[] item, int threads) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.layers.equals(layers) && Arrays.equals(k.item, item)
                    && k.threads == threads;
        }

        @Override
        public int hashCode() {
            return layers.hashCode() * 31 + Arrays.hashCode(item) * 7 + threads;
        }
    }

    /** One cached session, with how many runs use it; closed when retired and unused. */
    private final class Entry {
        final OrtSession session;
        int users;
        boolean retired;
        volatile boolean verified;

        Entry(OrtSession session) {
            this.session = session;
        }

        void closeIfDone() {
            if (retired && users == 0) {
                try {
                    session.close();
                } catch (OrtException e) {
                    // nothing to do: the session is gone either way
                } finally {
                    openSessions.decrementAndGet();
                }
            }
        }
    }

    /**
     * An executor for a model imported from {@code source}: {@code imageInput} is the graph's input,
     * {@code reshapeTargets} the targets the importer reads generalised Reshapes with (by the Reshape's output),
     * {@code declaredInput} the input shape the file declares (null or -1 where unknown).
     */
    public static OrtExecutor of(String modelName, OnnxSource source, String imageInput,
                                 Map<String, long[]> reshapeTargets, long[] declaredInput) {
        return new OrtExecutor(modelName, source, imageInput, reshapeTargets, declaredInput);
    }

    private OrtExecutor(String modelName, OnnxSource source, String imageInput, Map<String, long[]> reshapeTargets,
                        long[] declaredInput) {
        this.modelName = modelName;
        this.source = source;
        this.imageInput = imageInput;
        this.reshapeTargets = Map.copyOf(reshapeTargets);
        this.declaredInput = declaredInput == null ? null : declaredInput.clone();
    }

    /** The intra-op threads a session built now gets. */
    public static int threads() {
        String p = System.getProperty(THREADS_PROPERTY);
        if (p != null && !p.isBlank()) {
            try {
                int n = Integer.parseInt(p.trim());
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // fall through to the refusal
            }
            throw new org.circuitscope.model.ModelException(THREADS_PROPERTY + " must be a positive number of "
                    + "threads, not '" + p + "'");
        }
        return Math.max(1, ai.djl.pytorch.jni.JniUtils.getNumThreads());
    }

    /** Why the model as a whole cannot run on ONNX Runtime, or null when it can. Reads the file once. */
    public synchronized String refusal() {
        if (closed) {
            return "the model is closed";
        }
        if (!checked) {
            checked = true;
            try {
                ModelProto proto = OnnxImporter.parse(source.bytes(), modelName);
                modelRefusal = OrtGraphs.refusal(proto, imageInput);
            } catch (RuntimeException e) {
                modelRefusal = e.getMessage();
            }
        }
        return modelRefusal;
    }

    /**
     * Why these layers (value names) on an input of shape {@code input} cannot run on ONNX Runtime, or null when
     * they can (as far as is known before a session is built and checked).
     */
    public synchronized String refusal(List<String> layers, long[] input) {
        String r = refusal();
        if (r != null) {
            return r;
        }
        if (layers.contains(imageInput)) {
            return "the input '" + imageInput + "' is asked for as a layer";
        }
        return refused.get(key(layers, input));
    }

    /**
     * Runs {@code x} (already in the model's input space) through ONNX Runtime and returns the layers, as arrays on
     * {@code manager}. On a session's first run {@code reference} computes the same layers on the model's own graph
     * for the check. Throws {@link Refused} when ONNX Runtime cannot do it (then nothing is left open).
     */
    public Map<String, NDArray> run(NDArray x, List<String> layers, NDManager manager,
                                    Function<NDArray, Map<String, NDArray>> reference) {
        Key key = key(layers, x.getShape().getShape());
        Entry e = acquire(key);
        try {
            Map<String, NDArray> out = runSession(e, x, layers, manager);
            if (!e.verified && VERIFIED.contains(verifiedKey(key))) {
                e.verified = true;
            }
            if (!e.verified) {
                verify(key, e, x, out, reference);
                VERIFIED.add(verifiedKey(key));
            }
            runs.incrementAndGet();
            return out;
        } catch (OrtException ex) {
            String why = "ONNX Runtime failed on a batch of shape " + x.getShape() + ": " + ex.getMessage();
            refuse(key, why);
            throw new Refused(why);
        } catch (Refused ex) {
            refuse(key, ex.getMessage());
            throw ex;
        } finally {
            release(e);
        }
    }

    private Map<String, NDArray> runSession(Entry e, NDArray x, List<String> layers, NDManager manager)
            throws OrtException {
        if (x.getDataType() != DataType.FLOAT32) {
            throw new Refused("the input is " + x.getDataType() + ", not float32");
        }
        ByteBuffer data = x.toByteBuffer(true);
        if (!data.isDirect()) {
            ByteBuffer direct = ByteBuffer.allocateDirect(data.remaining()).order(ByteOrder.nativeOrder());
            direct.put(data).flip();
            data = direct;
        }
        data.order(ByteOrder.nativeOrder());
        Map<String, NDArray> out = new LinkedHashMap<>();
        OnnxTensor in = OnnxTensor.createTensor(env(), data.asFloatBuffer(), x.getShape().getShape());
        openValues.incrementAndGet();
        try {
            OrtSession.Result r = e.session.run(Map.of(imageInput, in), new TreeSet<>(layers));
            openValues.incrementAndGet();
            try {
                for (String l : layers) {
                    if (out.containsKey(l)) {
                        continue;
                    }
                    OnnxValue v = r.get(l).orElseThrow(() -> new Refused("ONNX Runtime returned no '" + l + "'"));
                    if (!(v instanceof OnnxTensor t)) {
                        throw new Refused("ONNX Runtime returned '" + l + "' as a " + v.getType() + ", not a tensor");
                    }
                    out.put(l, toArray(t, l, manager));
                }
            } catch (RuntimeException ex) {
                out.values().forEach(NDArray::close);
                throw ex;
            } finally {
                r.close();
                openValues.decrementAndGet();
            }
        } finally {
            in.close();
            openValues.decrementAndGet();
        }
        return out;
    }

    private static NDArray toArray(OnnxTensor t, String layer, NDManager manager) {
        TensorInfo info = t.getInfo();
        Shape shape = new Shape(info.getShape());
        OnnxJavaType type = info.type;
        return switch (type) {
            case FLOAT -> manager.create(t.getFloatBuffer(), shape, DataType.FLOAT32);
            case DOUBLE -> manager.create(t.getDoubleBuffer(), shape, DataType.FLOAT64);
            case INT64 -> manager.create(t.getLongBuffer(), shape, DataType.INT64);
            case INT32 -> manager.create(t.getIntBuffer(), shape, DataType.INT32);
            case BOOL -> manager.create(t.getByteBuffer(), shape, DataType.BOOLEAN);
            default -> throw new Refused("layer '" + layer + "' comes out of ONNX Runtime as " + type
                    + ", which is not passed on");
        };
    }

    /** Checks a session's first outputs against the model's own graph; a disagreement refuses the layer set. */
    private void verify(Key key, Entry e, NDArray x, Map<String, NDArray> got,
                        Function<NDArray, Map<String, NDArray>> reference) {
        Map<String, NDArray> want = reference.apply(x);
        String problem = null;
        try (NDScope scope = new NDScope()) {
            for (Map.Entry<String, NDArray> w : want.entrySet()) {
                NDArray a = got.get(w.getKey());
                NDArray b = w.getValue();
                problem = difference(w.getKey(), a, b);
                if (problem != null) {
                    break;
                }
            }
        } finally {
            for (NDArray b : want.values()) {
                if (b != x) {
                    b.close();
                }
            }
        }
        if (problem != null) {
            got.values().forEach(NDArray::close);
            String why = "ONNX Runtime's values differ from circuitscope's graph: " + problem;
            refuse(key, why);
            throw new Refused(why);
        }
        e.verified = true;
    }

    private static String difference(String layer, NDArray a, NDArray b) {
        if (a == null || !a.getShape().equals(b.getShape())) {
            return "layer '" + layer + "' has shape " + (a == null ? "none" : a.getShape()) + " there and "
                    + b.getShape() + " here";
        }
        if (a.size() == 0) {
            return null;
        }
        NDArray fa = a.toType(DataType.FLOAT64, false);
        NDArray fb = b.toType(DataType.FLOAT64, false);
        double diff = fa.sub(fb).abs().max().getDouble();
        double scale = Math.max(1, fb.abs().max().getDouble());
        if (!(diff <= VERIFY_TOLERANCE * scale)) {
            return String.format(java.util.Locale.ROOT, "layer '%s' differs by up to %.3g (largest magnitude %.3g)",
                    layer, diff, scale);
        }
        return null;
    }

    private String verifiedKey(Key key) {
        return source.digest() + " " + key.layers + " " + Arrays.toString(key.item) + " " + reshapeTargets.size();
    }

    private Key key(List<String> layers, long[] input) {
        List<String> sorted = new ArrayList<>(new TreeSet<>(layers));
        long[] item = input.length > 1 ? Arrays.copyOfRange(input, 1, input.length) : new long[0];
        return new Key(List.copyOf(sorted), item, threads());
    }

    private synchronized Entry acquire(Key key) {
        if (closed) {
            throw new Refused("the model is closed");
        }
        String r = refused.get(key);
        if (r != null) {
            throw new Refused(r);
        }
        Entry e = sessions.get(key);
        if (e == null) {
            e = new Entry(create(key));
            sessions.put(key, e);
            while (sessions.size() > MAX_SESSIONS) {
                Iterator<Map.Entry<Key, Entry>> it = sessions.entrySet().iterator();
                Entry eldest = it.next().getValue();
                it.remove();
                eldest.retired = true;
                eldest.closeIfDone();
            }
        }
        e.users++;
        return e;
    }

    private synchronized void release(Entry e) {
        e.users--;
        e.closeIfDone();
    }

    private synchronized void refuse(Key key, String why) {
        refused.put(key, why);
        Entry e = sessions.remove(key);
        if (e != null) {
            e.retired = true;
            e.closeIfDone();
        }
    }

    /** Builds the session for a key (called holding the lock); a failure refuses the key. */
    private OrtSession create(Key key) {
        String r = refusal();
        if (r != null) {
            throw new Refused(r);
        }
        boolean freeSpatial = declaredInput != null && declaredInput.length == 4 && key.item.length == 3
                && (declaredInput[2] != key.item[1] || declaredInput[3] != key.item[2]);
        try {
            ModelProto proto = OnnxImporter.parse(source.bytes(), modelName);
            byte[] edited = OrtGraphs.edit(proto, imageInput, key.layers, reshapeTargets, freeSpatial);
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(key.threads);
                // idle workers sleep instead of spinning: between two runs the dataset passes decode the next batch
                // on another thread (BatchReader), which spinning workers starve (SqueezeNet, batch 16, 2 cores:
                // 72.2 images/s in two runs without spinning, 68.3 with, the ONNX Runtime peer 69-70 in both)
                options.addConfigEntry("session.intra_op.allow_spinning", "0");
                options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
                OrtSession s = env().createSession(edited, options);
                created.incrementAndGet();
                openSessions.incrementAndGet();
                return s;
            }
        } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
            String why = "ONNX Runtime could not build a session for " + key.layers + ": " + e.getMessage();
            refused.put(key, why);
            throw new Refused(why);
        }
    }

    private static OrtEnvironment env() {
        OrtEnvironment e = environment;
        if (e == null) {
            synchronized (OrtExecutor.class) {
                if (environment == null) {
                    environment = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
                            "circuitscope");
                    ExtractedLibraries.remove();
                }
                e = environment;
            }
        }
        return e;
    }

    /** Sessions built so far (a layer set run in 50 batches builds one). */
    public long sessionsCreated() {
        return created.get();
    }

    /** Sessions open now (cached, or retired but still in use). */
    public int sessionsOpen() {
        return openSessions.get();
    }

    /** Passes run on ONNX Runtime so far. */
    public long runs() {
        return runs.get();
    }

    /** ONNX Runtime tensors and results open now: 0 whenever no pass is running. */
    public int openValues() {
        return openValues.get();
    }

    /** The layer sets that were refused, with why. */
    public synchronized Map<List<String>, String> refusals() {
        Map<List<String>, String> out = new LinkedHashMap<>();
        refused.forEach((k, v) -> out.put(k.layers, v));
        return out;
    }

    /** The layer sets with a cached session. */
    public synchronized Set<List<String>> cachedLayerSets() {
        Set<List<String>> out = new java.util.LinkedHashSet<>();
        sessions.keySet().forEach(k -> out.add(k.layers));
        return out;
    }

    /** Closes every session (one still running closes when its run ends). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Entry e : sessions.values()) {
            e.retired = true;
            e.closeIfDone();
        }
        sessions.clear();
    }
}
