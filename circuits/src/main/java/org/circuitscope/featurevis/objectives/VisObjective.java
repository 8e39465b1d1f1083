package org.circuitscope.featurevis.objectives;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.circuitscope.model.Model;
import org.circuitscope.model.Objective;

/**
 * A feature-visualisation objective: a differentiable function of a model's activations (and of the image itself,
 * under {@link Objectives#INPUT}) that the optimiser maximises. Each objective gives one value per image of the
 * batch ({@link #perImage}); its {@link #value} is their sum. Objectives combine like numbers ({@link #plus},
 * {@link #minus}, {@link #times}, {@link #negate}) and can be confined to one image of the batch
 * ({@link #onImage}), as in Lucid's optvis.
 */
public abstract class VisObjective implements Objective {
    private final String description;

    protected VisObjective(String description) {
        this.description = description;
    }

    /**
     * The objective's value for each image of the batch: an array of shape (N). Every array it creates must be
     * attached to the activations' manager.
     */
    public abstract NDArray perImage(Map<String, NDArray> activations);

    /**
     * The same for activations of transformed images: {@code seen} tells where the transforms put the image, so
     * that an objective naming a position in a layer's own coordinates reads the position that looks at the same
     * place (see {@link Seen}). Objectives that do not read positions ignore it.
     */
    public NDArray perImage(Map<String, NDArray> activations, Seen seen) {
        return perImage(activations);
    }

    /** The layers (model layer names, or {@link Objectives#INPUT}) this objective reads. */
    @Override
    public abstract Set<String> layers();

    /**
     * Checks the objective against a model and batch size before any optimisation: unknown layers, channels out of
     * range, images outside the batch. Throws {@link org.circuitscope.model.ModelException} with a clear message.
     */
    public abstract void validate(Model model, int batch);

    /** The sum of {@link #perImage} over the batch, as a scalar array. */
    @Override
    public NDArray value(Map<String, NDArray> activations) {
        return perImage(activations).sum();
    }

    /** A short human-readable form, e.g. {@code fire4/concat:12} or {@code -fire4/concat:12}. */
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return description;
    }

    public VisObjective plus(VisObjective other) {
        return new Sum(this, other, 1, description + " + " + other.description);
    }

    public VisObjective minus(VisObjective other) {
        return new Sum(this, other, -1, description + " - " + other.bracketed());
    }

    public VisObjective times(double factor) {
        return new Scaled(this, factor, fmt(factor) + "·" + bracketed());
    }

    /** The opposite objective: maximising it minimises this one (a negative visualisation). */
    public VisObjective negate() {
        return new Scaled(this, -1, "-" + bracketed());
    }

    /** This objective applied to image {@code index} of the batch only; other images neither count nor get gradient. */
    public VisObjective onImage(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("image index must be 0 or more, not " + index);
        }
        return new OnImage(this, index);
    }

    private String bracketed() {
        return description.contains(" ") ? "(" + description + ")" : description;
    }

    static String fmt(double f) {
        return f == Math.rint(f) && Math.abs(f) < 1e9 ? String.valueOf((long) f) : String.valueOf((float) f);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> s = new LinkedHashSet<>(a);
        s.addAll(b);
        return Collections.unmodifiableSet(s);
    }

    private static final class Sum extends VisObjective {
        private final VisObjective a;
        private final VisObjective b;
        private final double sign;

        Sum(VisObjective a, VisObjective b, double sign, String d) {
            super(d);
            this.a = a;
            this.b = b;
            this.sign = sign;
        }

        @Override
        public NDArray perImage(Map<String, NDArray> acts) {
            return perImage(acts, Seen.AS_IS);
        }

        @Override
        public NDArray perImage(Map<String, NDArray> acts, Seen seen) {
            NDArray x = a.perImage(acts, seen);
            NDArray y = b.perImage(acts, seen);
            return sign > 0 ? x.add(y) : x.sub(y);
        }

        @Override
        public Set<String> layers() {
            return union(a.layers(), b.layers());
        }

        @Override
        public void validate(Model model, int batch) {
            a.validate(model, batch);
            b.validate(model, batch);
        }
    }

    private static final class Scaled extends VisObjective {
        private final VisObjective inner;
        private final double factor;

        Scaled(VisObjective inner, double factor, String d) {
            super(d);
            this.inner = inner;
            this.factor = factor;
        }

        @Override
        public NDArray perImage(Map<String, NDArray> acts) {
            return perImage(acts, Seen.AS_IS);
        }

        @Override
        public NDArray perImage(Map<String, NDArray> acts, Seen seen) {
            NDArray v = inner.perImage(acts, seen);
            return factor == -1 ? v.neg() : v.mul((float) factor);
        }

        @Override
        public Set<String> layers() {
            return inner.layers();
        }

        @Override
        public void validate(Model model, int batch) {
            inner.validate(model, batch);
        }
    }

    private static final class OnImage extends VisObjective {
        private final VisObjective inner;
        private final int index;

        OnImage(VisObjective inner, int index) {
            super(inner.description + "[image " + index + "]");
            this.inner = inner;
            this.index = index;
        }

        @Override
        public NDArray perImage(Map<String, NDArray> acts) {
            return perImage(acts, Seen.AS_IS);
        }

        @Override
        public NDArray perImage(Map<String, NDArray> acts, Seen seen) {
            NDArray v = inner.perImage(acts, seen);
            int n = (int) v.getShape().get(0);
            if (index >= n) {
                throw new org.circuitscope.model.ModelException("objective " + description() + " is for image "
                        + index + ", but the batch has " + n + " image" + (n == 1 ? "" : "s"));
            }
            float[] mask = new float[n];
            mask[index] = 1;
            return v.mul(v.getManager().create(mask, new Shape(n)));
        }

        @Override
        public Set<String> layers() {
            return inner.layers();
        }

        @Override
        public void validate(Model model, int batch) {
            if (index >= batch) {
                throw new org.circuitscope.model.ModelException("objective " + description() + " is for image "
                        + index + ", but the batch has " + batch + " image" + (batch == 1 ? "" : "s")
                        + " (images are numbered from 0)");
            }
            inner.validate(model, batch);
        }
    }
}
