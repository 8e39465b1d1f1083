package org.circuitscope.featurevis.objectives;

import java.util.Map;
import java.util.function.Function;
import org.circuitscope.examples.ReceptiveField;
import org.circuitscope.featurevis.transform.Placement;
import org.circuitscope.model.ModelException;

/**
 * How the model saw the optimised images in one step: where the random transforms put them
 * ({@link Placement}), the layers' receptive fields, and each layer's size on the untransformed image. With these an
 * objective that names a position in a layer's own coordinates (a neuron {@code layer:c@y,x}) finds the position
 * of the transformed activations that looks at the same place of the image: the centre of what (y, x) sees is
 * carried through the placement and read back as a position of the transformed layer.
 */
public final class Seen {
    /** The activations are of the untransformed images: positions are read as they are. */
    public static final Seen AS_IS = new Seen(Placement.IDENTITY, null, Map.of());

    private final Placement placement;
    private final Function<String, ReceptiveField> fields;
    private final Map<String, long[]> ownSizes;

    /**
     * @param placement where the transforms put the image
     * @param fields    the receptive field of a layer
     * @param ownSizes  each layer's height and width on the untransformed image
     */
    public Seen(Placement placement, Function<String, ReceptiveField> fields, Map<String, long[]> ownSizes) {
        this.placement = placement;
        this.fields = fields;
        this.ownSizes = Map.copyOf(ownSizes);
    }

    public Placement placement() {
        return placement;
    }

    /** The layer's height and width on the untransformed image, or null when not known. */
    public long[] ownSize(String layer) {
        return ownSizes.get(layer);
    }

    /**
     * The position {row, column} of the transformed activations ({@code seenH}×{@code seenW}) that sees what
     * position (y, x) of the layer sees on the untransformed image; negative y and x mean the layer's centre.
     *
     * @throws ModelException when (y, x) lies outside the layer
     */
    public long[] position(String layer, int y, int x, long seenH, long seenW) {
        long[] own = ownSizes.get(layer);
        long h = own != null ? own[0] : seenH;
        long w = own != null ? own[1] : seenW;
        long yy = y < 0 ? h / 2 : y;
        long xx = x < 0 ? w / 2 : x;
        if (yy >= h || xx >= w) {
            throw new ModelException("position " + yy + "," + xx + " is outside layer '" + layer + "', which has "
                    + h + "x" + w + " positions at this image size (rows and columns from 0)");
        }
        if (fields == null || own == null) {
            return new long[] {Math.min(yy, seenH - 1), Math.min(xx, seenW - 1)};
        }
        ReceptiveField rf = fields.apply(layer);
        if (rf.whole()) {
            return new long[] {Math.min(yy, seenH - 1), Math.min(xx, seenW - 1)};
        }
        double[] c = rf.centre((int) yy, (int) xx);
        double[] p = placement.apply(c[0], c[1]);
        long sy = Math.round((p[1] - rf.startY() - rf.sizeY() / 2.0) / rf.strideY());
        long sx = Math.round((p[0] - rf.startX() - rf.sizeX() / 2.0) / rf.strideX());
        return new long[] {Math.max(0, Math.min(seenH - 1, sy)), Math.max(0, Math.min(seenW - 1, sx))};
    }
}
