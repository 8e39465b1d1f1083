package org.circuitscope.magics.weights;

import org.circuitscope.magics.MagicArgs;
import org.circuitscope.magics.MagicException;
import org.circuitscope.magics.circuit.DataSources;
import org.circuitscope.model.Model;
import org.circuitscope.weights.Thumbnails;

/**
 * {@code --thumbs fv|examples|none} (with {@code --fv-steps N}, {@code --data SOURCE}) as a {@link Thumbnails}; each
 * magic names its own default (none for {@code %weights}, fv for {@code %circuit}).
 */
public final class ThumbnailChoice {
    private ThumbnailChoice() {
    }

    public static Thumbnails parse(MagicArgs a, Model model, String magic) throws MagicException {
        return parse(a, model, magic, "none");
    }

    public static Thumbnails parse(MagicArgs a, Model model, String magic, String byDefault) throws MagicException {
        String t = a.get("thumbs", byDefault).trim().toLowerCase();
        return switch (t) {
            case "none" -> Thumbnails.none();
            case "fv", "featurevis" -> {
                int steps = a.getInt("fv-steps", 64, 1, 100_000);
                yield Thumbnails.featureVis(model, steps, 64);
            }
            case "examples" -> Thumbnails.examples(model, DataSources.parse(a.get("data"), model,
                    a.getInt("images", 64, 1, 10_000), magic));
            default -> throw new MagicException("%" + magic + ": --thumbs must be fv, examples or none, not '" + t
                    + "'");
        };
    }
}
