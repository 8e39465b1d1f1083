package org.circuitscope.featurevis.transform;

import java.util.Locale;

/**
 * Where one random draw of the transforms put the optimised image: an affine map from its pixel coordinates to
 * those of the image the model saw, {@code x' = xx·x + xy·y + tx}, {@code y' = yx·x + yy·y + ty}. Coordinates
 * are continuous, with (0, 0) the top-left corner and pixel (row i, column j) covering [j, j+1) × [i, i+1), so a
 * pixel's centre is (j + ½, i + ½). Objectives that name a position in a layer's own coordinates (a neuron) use it
 * to find that position in the transformed activations.
 */
public record Placement(double xx, double xy, double tx, double yx, double yy, double ty) {
    public static final Placement IDENTITY = new Placement(1, 0, 0, 0, 1, 0);

    /** Moves every point by (dx, dy). */
    public static Placement shift(double dx, double dy) {
        return new Placement(1, 0, dx, 0, 1, dy);
    }

    /** Stretches by (sx, sy) about the top-left corner (a resize with half-pixel centres). */
    public static Placement scale(double sx, double sy) {
        return new Placement(sx, 0, 0, 0, sy, 0);
    }

    /**
     * Turns by {@code radians} about the centre of an {@code h}×{@code w} image, as {@link Transforms#rotate}
     * does: with y pointing down, a positive angle turns the picture clockwise on screen.
     */
    public static Placement rotation(double radians, int h, int w) {
        double cos = Math.cos(radians);
        double sin = Math.sin(radians);
        double cx = w / 2.0;
        double cy = h / 2.0;
        // Transforms.rotate fills output point p from the source at A(p − c) + c, A = [[cos, −sin], [sin, cos]] on
        // (dy, dx); a source point q therefore lands at Aᵀ(q − c) + c, written here for (x, y)
        return new Placement(cos, -sin, cx - cos * cx + sin * cy, sin, cos, cy - sin * cx - cos * cy);
    }

    /**
     * The placement a transform is taken to have when it does not say: the output keeps the input's scale and
     * its centre (an identity for transforms that keep the size).
     */
    public static Placement centred(long inH, long inW, long outH, long outW) {
        return shift((outW - inW) / 2.0, (outH - inH) / 2.0);
    }

    /** This placement, then {@code next}. */
    public Placement then(Placement next) {
        return new Placement(next.xx * xx + next.xy * yx, next.xx * xy + next.xy * yy, next.xx * tx + next.xy * ty
                + next.tx, next.yx * xx + next.yy * yx, next.yx * xy + next.yy * yy, next.yx * tx + next.yy * ty
                + next.ty);
    }

    /** Where the point (x, y) lands: {x', y'}. */
    public double[] apply(double x, double y) {
        return new double[] {xx * x + xy * y + tx, yx * x + yy * y + ty};
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "x' = %.3f x %+.3f y %+.2f, y' = %.3f x %+.3f y %+.2f", xx, xy, tx, yx,
                yy, ty);
    }
}
