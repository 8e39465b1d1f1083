package org.circuitscope.stimuli;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalInt;
import org.circuitscope.data.ImageSource;
import org.circuitscope.data.Sample;
import org.circuitscope.model.InputSpec;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * A parameterised family of synthetic images, one per combination of its parameters' values (the last parameter
 * varies fastest), made on demand: an {@link ImageSource} whose {@link #parameters()} table has one row per image.
 * Made by {@link Stimuli}. Images are rendered analytically, pixel by pixel, from the distance of each pixel's
 * centre to the shape (a one-pixel antialiasing ramp), so they are exactly reproducible and rotating a stimulus by
 * 90° is the same as rendering it at its orientation + 90°. Angles are in degrees, counter-clockwise from the
 * positive x axis (pointing right), with y pointing up; lengths are in pixels; frequencies are cycles per image
 * width. Parameters left unset take defaults relative to the image size.
 */
public final class StimulusSet implements ImageSource {

    /** The kinds of stimulus, with the numeric parameters each has. */
    public enum Kind {
        /** An arc of a circle whose middle is at the centre; orientation is the direction its outer side faces. */
        CURVE("orientation", "radius", "thickness", "span"),
        /** A straight line segment through the centre. */
        LINE("orientation", "thickness", "length"),
        /** A straight edge through the centre: the colour lies on the side the orientation points to. */
        EDGE("orientation"),
        /** Two segments meeting at the centre; orientation is the direction of their bisector. */
        ANGLE("orientation", "opening", "thickness", "length"),
        /** A sinusoidal grating; orientation is the direction across its stripes. */
        GRATING("orientation", "frequency", "phase"),
        /** A boundary through the centre between fine texture (on the side the orientation points to) and coarse. */
        BOUNDARY("orientation", "high", "low"),
        /**
         * A disc centred at the centre (centre-surround units' stimuli: a unit whose response falls again once the
         * disc covers its surround has an antagonistic surround).
         */
        SPOT("radius");

        final List<String> parameters;

        Kind(String... parameters) {
            this.parameters = List.of(parameters);
        }

        public List<String> parameters() {
            return parameters;
        }

        String noun() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What lies behind a shape: a plain colour, or that colour with fixed pixel noise. */
    public enum Background {
        PLAIN, NOISE
    }

    /**
     * Which way round the two colours go: the shape in its colour on the background colour, as given
     * ({@link #DARK_ON_LIGHT}, the default: black on white), or exchanged ({@link #LIGHT_ON_DARK}: white on black).
     * A unit that answers bright lines on a dark ground barely answers the default stimuli; sweeping both
     * polarities finds out which way round a unit prefers.
     */
    public enum Polarity {
        DARK_ON_LIGHT("dark on light"), LIGHT_ON_DARK("light on dark");

        private final String label;

        Polarity(String label) {
            this.label = label;
        }

        /** "dark on light" or "light on dark". */
        public String label() {
            return label;
        }

        /** {@code dark} (dark-on-light, dark_on_light) or {@code light} (light-on-dark, light_on_dark). */
        public static Polarity parse(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT).replace('_', ' ').replace('-', ' ');
            return switch (t) {
                case "dark", "dark on light" -> DARK_ON_LIGHT;
                case "light", "bright", "light on dark" -> LIGHT_ON_DARK;
                default -> throw new IllegalArgumentException("unknown polarity '" + text + "': use dark (dark on "
                        + "light), light (light on dark) or both");
            };
        }
    }

    private final Kind kind;
    private int height = 224;
    private int width = 224;
    private Double centreX;
    private Double centreY;
    private final Map<String, double[]> values = new LinkedHashMap<>();
    private List<Color> colors = List.of(Color.BLACK);
    private List<Background> backgrounds = List.of(Background.PLAIN);
    private List<Color> backgroundColors = List.of(Color.WHITE);
    private List<Polarity> polarities = List.of(Polarity.DARK_ON_LIGHT);
    private double noiseAmplitude = 0.3;
    private long seed = 1;

    StimulusSet(Kind kind) {
        this.kind = kind;
    }

    /** An independent copy (same parameters). */
    public StimulusSet copy() {
        StimulusSet s = new StimulusSet(kind);
        s.height = height;
        s.width = width;
        s.centreX = centreX;
        s.centreY = centreY;
        values.forEach((k, v) -> s.values.put(k, v.clone()));
        s.colors = colors;
        s.backgrounds = backgrounds;
        s.backgroundColors = backgroundColors;
        s.polarities = polarities;
        s.noiseAmplitude = noiseAmplitude;
        s.seed = seed;
        return s;
    }

    public Kind kind() {
        return kind;
    }

    // ---- parameters

    /** Sets a numeric parameter's values (see {@link Kind#parameters()}). */
    public StimulusSet values(String parameter, double... v) {
        if (!kind.parameters.contains(parameter)) {
            throw new IllegalArgumentException(kind.noun() + " stimuli have no parameter '" + parameter
                    + "'; they have " + String.join(", ", kind.parameters));
        }
        if (v.length == 0) {
            throw new IllegalArgumentException("give at least one value for " + parameter);
        }
        values.put(parameter, v.clone());
        return this;
    }

    /** Sets a parameter to {@code from, from+step, …} up to but not including {@code to}. */
    public StimulusSet range(String parameter, double from, double to, double step) {
        return values(parameter, steps(from, to, step));
    }

    static double[] steps(double from, double to, double step) {
        if (!(step > 0) || !(to > from)) {
            throw new IllegalArgumentException("a range needs from < to and a positive step, not " + from + ":" + to
                    + ":" + step);
        }
        int n = (int) Math.ceil((to - from) / step - 1e-9);
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = from + i * step;
        }
        return r;
    }

    /** Orientations from {@code from} up to (not including) {@code to} by {@code step} degrees. */
    public StimulusSet orientations(double from, double to, double step) {
        return range("orientation", from, to, step);
    }

    public StimulusSet orientations(double... degrees) {
        return values("orientation", degrees);
    }

    public StimulusSet radii(double... pixels) {
        return values("radius", pixels);
    }

    /** Curvatures (1/radius, per pixel): the same as {@link #radii} with their inverses. */
    public StimulusSet curvatures(double... perPixel) {
        double[] r = new double[perPixel.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = 1 / perPixel[i];
        }
        return radii(r);
    }

    public StimulusSet thickness(double... pixels) {
        return values("thickness", pixels);
    }

    /** The angle a curve's arc covers, in degrees. */
    public StimulusSet spans(double... degrees) {
        return values("span", degrees);
    }

    public StimulusSet lengths(double... pixels) {
        return values("length", pixels);
    }

    /** The angle between an angle stimulus's two arms, in degrees. */
    public StimulusSet openings(double... degrees) {
        return values("opening", degrees);
    }

    /** Grating frequencies in cycles per image width. */
    public StimulusSet frequencies(double... cyclesPerImage) {
        return values("frequency", cyclesPerImage);
    }

    public StimulusSet phases(double... degrees) {
        return values("phase", degrees);
    }

    /** The colours of the shape (default black); several are swept like any parameter. */
    public StimulusSet colors(Color... c) {
        if (c.length == 0) {
            throw new IllegalArgumentException("give at least one colour");
        }
        this.colors = List.of(c);
        return this;
    }

    public StimulusSet backgrounds(Background... b) {
        if (b.length == 0) {
            throw new IllegalArgumentException("give at least one background");
        }
        this.backgrounds = List.of(b);
        return this;
    }

    /** The colour behind the shape (default white). */
    public StimulusSet backgroundColor(Color c) {
        return backgroundColors(c);
    }

    /** Colours behind the shape, swept like any parameter. */
    public StimulusSet backgroundColors(Color... c) {
        if (c.length == 0) {
            throw new IllegalArgumentException("give at least one background colour");
        }
        this.backgroundColors = List.of(c);
        return this;
    }

    /** Which way round shape and background colours go (default {@link Polarity#DARK_ON_LIGHT}, as given). */
    public StimulusSet polarities(Polarity... p) {
        if (p.length == 0) {
            throw new IllegalArgumentException("give at least one polarity");
        }
        this.polarities = List.of(p);
        return this;
    }

    /** Both polarities: every stimulus as given and with shape and background colours exchanged. */
    public StimulusSet bothPolarities() {
        return polarities(Polarity.DARK_ON_LIGHT, Polarity.LIGHT_ON_DARK);
    }

    /** The polarities swept. */
    public List<Polarity> polarities() {
        return polarities;
    }

    /** How strong the noise of {@link Background#NOISE} is (0..1, default 0.3). */
    public StimulusSet noise(double amplitude) {
        this.noiseAmplitude = amplitude;
        return this;
    }

    /** The seed of the noise background and of boundary textures (the same for every image of the set). */
    public StimulusSet seed(long s) {
        this.seed = s;
        return this;
    }

    public StimulusSet size(int h, int w) {
        if (h <= 0 || w <= 0) {
            throw new IllegalArgumentException("size must be positive, not " + h + "x" + w);
        }
        this.height = h;
        this.width = w;
        return this;
    }

    /** The size of a model's input. */
    public StimulusSet size(InputSpec input) {
        return size(input.height(), input.width());
    }

    /** Where the stimulus is centred, in pixels from the top-left corner (default: the image centre). */
    public StimulusSet centre(double x, double y) {
        this.centreX = x;
        this.centreY = y;
        return this;
    }

    public boolean hasCentre() {
        return centreX != null;
    }

    /** The centre {x, y} of the stimuli in pixels from the top-left corner (the image centre unless set). */
    public double[] centre() {
        return new double[] {centreX != null ? centreX : width / 2.0, centreY != null ? centreY : height / 2.0};
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** The values a parameter takes (its default when unset). */
    public double[] valuesOf(String parameter) {
        double[] v = values.get(parameter);
        return v != null ? v.clone() : new double[] {defaultOf(parameter)};
    }

    private double defaultOf(String p) {
        double s = Math.min(height, width);
        return switch (p) {
            case "orientation", "phase" -> 0;
            case "radius" -> kind == Kind.SPOT ? s / 16 : s / 8;
            case "thickness" -> Math.max(1.5, s / 64);
            case "span" -> 90;
            case "length" -> kind == Kind.ANGLE ? s / 4 : s / 2;
            case "opening" -> 90;
            case "frequency" -> 8;
            case "high" -> width / 4.0;
            case "low" -> 4;
            default -> throw new IllegalArgumentException("no parameter " + p);
        };
    }

    private boolean usesBackground() {
        return kind != Kind.GRATING && kind != Kind.BOUNDARY;
    }

    /** The parameters that take more than one value, in order (colour and background included). */
    public List<String> varying() {
        List<String> r = new ArrayList<>();
        for (String p : kind.parameters) {
            if (valuesOf(p).length > 1) {
                r.add(p);
            }
        }
        if (colors.size() > 1) {
            r.add("color");
        }
        if (backgroundColors.size() > 1) {
            r.add("background color");
        }
        if (usesBackground() && backgrounds.size() > 1) {
            r.add("background");
        }
        if (polarities.size() > 1) {
            r.add("polarity");
        }
        return r;
    }

    private int[] dims() {
        List<Integer> d = new ArrayList<>();
        for (String p : kind.parameters) {
            d.add(valuesOf(p).length);
        }
        d.add(colors.size());
        d.add(backgroundColors.size());
        d.add(usesBackground() ? backgrounds.size() : 1);
        d.add(polarities.size());
        return d.stream().mapToInt(Integer::intValue).toArray();
    }

    public int count() {
        int n = 1;
        for (int d : dims()) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /**
     * The parameter combination of image {@code index}: one index per parameter, then colour, background colour,
     * background and polarity.
     */
    private int[] indices(int index) {
        int[] dims = dims();
        int[] r = new int[dims.length];
        int rest = index;
        for (int i = dims.length - 1; i >= 0; i--) {
            r[i] = rest % dims[i];
            rest /= dims[i];
        }
        return r;
    }

    /**
     * One row per image: image id, each numeric parameter, the colours as drawn (shape {@code color} and
     * {@code background color}, #rrggbb, after the polarity), {@code background} (plain or noise, for shapes) and
     * {@code polarity}.
     */
    public Table parameters() {
        int n = count();
        List<Column<?>> cols = new ArrayList<>();
        String[] ids = new String[n];
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = id(i);
            idx[i] = i;
        }
        cols.add(IntColumn.create("index", idx));
        cols.add(StringColumn.create("image", ids));
        List<double[]> axes = new ArrayList<>();
        for (String p : kind.parameters) {
            axes.add(valuesOf(p));
        }
        for (int a = 0; a < axes.size(); a++) {
            double[] col = new double[n];
            for (int i = 0; i < n; i++) {
                col[i] = axes.get(a)[indices(i)[a]];
            }
            cols.add(DoubleColumn.create(kind.parameters.get(a), col));
        }
        String[] fgs = new String[n];
        String[] bgs = new String[n];
        String[] pol = new String[n];
        for (int i = 0; i < n; i++) {
            Color[] drawn = drawnColours(indices(i));
            fgs[i] = hex(drawn[0]);
            bgs[i] = hex(drawn[1]);
            pol[i] = polarities.get(indices(i)[axes.size() + 3]).label();
        }
        cols.add(StringColumn.create("color", fgs));
        cols.add(StringColumn.create("background color", bgs));
        if (usesBackground()) {
            String[] b = new String[n];
            for (int i = 0; i < n; i++) {
                b[i] = backgrounds.get(indices(i)[axes.size() + 2]).name().toLowerCase(Locale.ROOT);
            }
            cols.add(StringColumn.create("background", b));
        }
        cols.add(StringColumn.create("polarity", pol));
        return Table.create(kind.noun() + " stimuli", cols.toArray(Column[]::new));
    }

    /** The shape's and the background's colour as drawn for a parameter combination (after the polarity). */
    private Color[] drawnColours(int[] ix) {
        int np = kind.parameters.size();
        Color fg = colors.get(ix[np]);
        Color bg = backgroundColors.get(ix[np + 1]);
        return polarities.get(ix[np + 3]) == Polarity.LIGHT_ON_DARK ? new Color[] {bg, fg} : new Color[] {fg, bg};
    }

    /** The polarity of image {@code index}. */
    public Polarity polarity(int index) {
        return polarities.get(indices(index)[kind.parameters.size() + 3]);
    }

    static String hex(Color c) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }

    private String id(int i) {
        return kind.noun() + "#" + i;
    }

    /** A short description of image {@code index}'s varying parameters. */
    String describe(int index) {
        int[] ix = indices(index);
        List<String> parts = new ArrayList<>();
        for (int a = 0; a < kind.parameters.size(); a++) {
            double[] v = valuesOf(kind.parameters.get(a));
            if (v.length > 1) {
                parts.add(kind.parameters.get(a) + "=" + fmt(v[ix[a]]));
            }
        }
        int np = kind.parameters.size();
        Color[] drawn = drawnColours(ix);
        if (colors.size() > 1) {
            parts.add("color=" + hex(drawn[0]));
        }
        if (backgroundColors.size() > 1) {
            parts.add("background color=" + hex(drawn[1]));
        }
        if (usesBackground() && backgrounds.size() > 1) {
            parts.add("background=" + backgrounds.get(ix[np + 2]).name().toLowerCase(Locale.ROOT));
        }
        if (polarities.size() > 1) {
            parts.add(polarities.get(ix[np + 3]).label());
        }
        return parts.isEmpty() ? kind.noun() : String.join(" ", parts);
    }

    static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e9 ? String.valueOf((long) d)
                : String.format(Locale.ROOT, "%.3g", d);
    }

    // ---- rendering

    /** Image {@code index} of the set. */
    public BufferedImage render(int index) {
        if (index < 0 || index >= count()) {
            throw new IndexOutOfBoundsException("stimulus " + index + " of " + count());
        }
        int[] ix = indices(index);
        Map<String, Double> p = new LinkedHashMap<>();
        for (int a = 0; a < kind.parameters.size(); a++) {
            p.put(kind.parameters.get(a), valuesOf(kind.parameters.get(a))[ix[a]]);
        }
        int np = kind.parameters.size();
        Color[] drawn = drawnColours(ix);
        Background bgKind = backgrounds.get(usesBackground() ? ix[np + 2] : 0);
        double[] c = centre();
        return Renderer.render(kind, p, drawn[0], drawn[1], bgKind, noiseAmplitude, seed, height, width, c[0], c[1]);
    }

    /** Image {@code index} as a sample (id {@code kind#index}, label its varying parameters). */
    public Sample sample(int index) {
        return new Sample(id(index), describe(index), render(index));
    }

    @Override
    public String name() {
        return kind.noun() + " stimuli";
    }

    @Override
    public OptionalInt size() {
        return OptionalInt.of(count());
    }

    @Override
    public Iterator<Sample> iterator() {
        int n = count();
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < n;
            }

            @Override
            public Sample next() {
                if (next >= n) {
                    throw new NoSuchElementException();
                }
                return sample(next++);
            }
        };
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name()).append(" (").append(count()).append(" images, ")
                .append(height).append("x").append(width);
        for (String p : kind.parameters) {
            double[] v = valuesOf(p);
            sb.append(", ").append(p).append(v.length > 4 ? " " + fmt(v[0]) + ".." + fmt(v[v.length - 1]) + " ("
                    + v.length + ")" : " " + Arrays.toString(Arrays.stream(v).mapToObj(StimulusSet::fmt)
                    .toArray()));
        }
        if (colors.size() > 1 || !colors.get(0).equals(Color.BLACK) || backgroundColors.size() > 1
                || !backgroundColors.get(0).equals(Color.WHITE)) {
            sb.append(", colour ").append(colors.stream().map(StimulusSet::hex).toList()).append(" on ")
                    .append(backgroundColors.stream().map(StimulusSet::hex).toList());
        }
        sb.append(", ").append(polarities.size() > 1 ? "both polarities" : polarities.get(0).label());
        return sb.append(")").toString();
    }
}
