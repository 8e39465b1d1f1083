package org.circuitscope.stimuli;

/**
 * Entry points for synthetic stimuli, as in the Circuits thread's curve-detector experiments:
 * {@code Stimuli.curves().orientations(0, 360, 5).radii(10, 20, 40)}. Each returns a {@link StimulusSet}: an image
 * source plus a table of the parameters of each image.
 */
public final class Stimuli {
    private Stimuli() {
    }

    /** Arcs by orientation, radius (or curvature), thickness, span, colour and background. */
    public static StimulusSet curves() {
        return new StimulusSet(StimulusSet.Kind.CURVE);
    }

    /** Straight line segments by orientation, thickness and length. */
    public static StimulusSet lines() {
        return new StimulusSet(StimulusSet.Kind.LINE);
    }

    /** Straight edges (a colour on one side, the background on the other) by orientation. */
    public static StimulusSet edges() {
        return new StimulusSet(StimulusSet.Kind.EDGE);
    }

    /** Two lines meeting at the centre, by orientation and opening angle. */
    public static StimulusSet angles() {
        return new StimulusSet(StimulusSet.Kind.ANGLE);
    }

    /** Sinusoidal gratings by orientation, frequency and phase. */
    public static StimulusSet gratings() {
        return new StimulusSet(StimulusSet.Kind.GRATING);
    }

    /** Boundaries between fine and coarse texture by orientation (high-low frequency detectors' stimuli). */
    public static StimulusSet boundaries() {
        return new StimulusSet(StimulusSet.Kind.BOUNDARY);
    }

    /** Discs by radius (centre-surround units' stimuli), in a colour on a background. */
    public static StimulusSet spots() {
        return new StimulusSet(StimulusSet.Kind.SPOT);
    }

    /** A stimulus kind by name: curves, lines, edges, angles, gratings, boundaries, spots (singular works too). */
    public static StimulusSet byName(String name) {
        String n = name.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (n.endsWith("s") ? n.substring(0, n.length() - 1) : n) {
            case "curve", "arc" -> curves();
            case "line" -> lines();
            case "edge" -> edges();
            case "angle" -> angles();
            case "grating" -> gratings();
            case "boundarie", "boundary", "high-low", "highlow" -> boundaries();
            case "spot", "disc", "disk", "dot" -> spots();
            default -> throw new IllegalArgumentException("unknown stimulus kind '" + name + "': use curves, lines, "
                    + "edges, angles, gratings, boundaries or spots");
        };
    }

    /**
     * {@code count} images of coloured multi-scale texture (value noise at octaves from 2 pixels to the image size,
     * each octave's amplitude proportional to its scale, so the spectrum falls roughly as 1/f like a photograph's),
     * at {@code size}×{@code size}: a stand-in for natural images where dataset statistics are needed and no data
     * set is given. Image {@code i} is the same on every call.
     */
    public static org.circuitscope.data.ImageSource textures(int count, int size, long seed) {
        return org.circuitscope.data.GeneratedSource.of("textures (" + count + " multi-scale noise images)", count,
                i -> new org.circuitscope.data.Sample("texture#" + i, null, Renderer.texture(size, seed + 1000L * i)));
    }
}
