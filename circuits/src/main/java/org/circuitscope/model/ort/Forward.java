package org.circuitscope.model.ort;

import java.util.Locale;
import org.circuitscope.model.ModelException;

/**
 * Which executor runs a forward pass that takes no gradient ({@link org.circuitscope.model.Model#infer}): the
 * dataset jobs ({@link org.circuitscope.activations.Activations}, {@link org.circuitscope.examples.DatasetExamples},
 * and through them the atlas and the Spark jobs).
 * <ul>
 *   <li>{@link #AUTO} (the default): ONNX Runtime ({@link OrtExecutor}) when the model can run there, else the
 *   model's own graph on DJL/libtorch, silently: both give the same values (checked on first use, see
 *   {@link OrtExecutor});</li>
 *   <li>{@link #DJL}: always the model's own graph on DJL/libtorch;</li>
 *   <li>{@link #ORT}: ONNX Runtime, or an error saying why the model cannot run there.</li>
 * </ul>
 * The default comes from the system property {@code circuitscope.forward} ({@code auto}, {@code djl} or {@code ort};
 * e.g. {@code -Dcircuitscope.forward=djl}), read at each run; the jobs' builders take one explicitly
 * ({@code Activations.of(model).forward(Forward.DJL)}). Everything that takes gradients (feature visualisation,
 * attribution, dictionary training, values given in place of a layer's) always runs on DJL.
 */
public enum Forward {
    AUTO, DJL, ORT;

    /** The system property that sets the default. */
    public static final String PROPERTY = "circuitscope.forward";

    /** The executor {@code circuitscope.forward} names (AUTO when it is not set). */
    public static Forward configured() {
        String p = System.getProperty(PROPERTY);
        return p == null || p.isBlank() ? AUTO : parse(p);
    }

    /** {@code auto}, {@code djl} or {@code ort} (any case); anything else is refused naming the value. */
    public static Forward parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "djl", "libtorch", "pytorch" -> DJL;
            case "ort", "onnxruntime" -> ORT;
            default -> throw new ModelException(PROPERTY + " must be auto, djl or ort, not '" + text + "'");
        };
    }

    /** What runs a forward pass and why: the engine chosen ({@link #DJL} or {@link #ORT}) and the reason. */
    public record Choice(Forward engine, String reason) {
        @Override
        public String toString() {
            return engine.name().toLowerCase(Locale.ROOT) + " (" + reason + ")";
        }
    }
}
