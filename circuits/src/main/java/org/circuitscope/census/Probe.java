package org.circuitscope.census;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.circuitscope.activations.ActivationResult;
import org.circuitscope.activations.Activations;
import org.circuitscope.activations.Reduce;
import org.circuitscope.data.ImageSource;
import org.circuitscope.model.Model;
import org.circuitscope.progress.Progress;
import org.circuitscope.stimuli.StimulusSet;
import tech.tablesaw.api.Table;

/**
 * Every channel of a layer read at its centre position ({@link Reduce#CENTER}) on each set of a {@link Battery}
 * (where the stimuli are centred) and on a data set: the raw material of the {@link Rules}. Reading both at the
 * same position makes a stimulus response and the data set's mean and spread comparable.
 */
public final class Probe {
    private final String model;
    private final String layer;
    private final int channels;
    private final Battery battery;
    private final Map<String, float[][]> responses;
    private final Map<String, Table> parameters;
    private final double[] mean;
    private final double[] sd;
    private final double[] top;
    private final String data;
    private final int images;

    /** How many of a unit's top data-set images {@link #top} averages. */
    public static final int TOP = 5;

    private Probe(String model, String layer, int channels, Battery battery, Map<String, float[][]> responses,
                  Map<String, Table> parameters, double[] mean, double[] sd, double[] top, String data,
                  int images) {
        this.model = model;
        this.layer = layer;
        this.channels = channels;
        this.battery = battery;
        this.responses = responses;
        this.parameters = parameters;
        this.mean = mean;
        this.sd = sd;
        this.top = top;
        this.data = data;
        this.images = images;
    }

    public static Probe run(Model model, String layer, ImageSource data, Progress progress) {
        String name = model.layers().get(layer).name();
        int channels = (int) model.layers().get(name).channels();
        Battery battery = Battery.of(model, name);
        Map<String, float[][]> responses = new LinkedHashMap<>();
        Map<String, Table> parameters = new LinkedHashMap<>();
        for (Map.Entry<String, StimulusSet> e : battery.sets().entrySet()) {
            if (progress.cancelled()) {
                throw new java.util.concurrent.CancellationException("census interrupted");
            }
            progress.update(responses.size(), battery.sets().size() + 1, e.getKey());
            ActivationResult r = Activations.of(model).layers(name).reduce(Reduce.CENTER).batchSize(16)
                    .run(e.getValue());
            responses.put(e.getKey(), byChannel(r, name, channels));
            parameters.put(e.getKey(), e.getValue().parameters());
        }
        progress.update(battery.sets().size(), battery.sets().size() + 1, "data set statistics on " + data.name());
        ActivationResult d = Activations.of(model).layers(name).reduce(Reduce.CENTER).batchSize(16).run(data);
        if (d.images() < 10) {
            throw new IllegalArgumentException("a census needs the statistics of at least 10 data set images; "
                    + data.name() + " gave " + d.images());
        }
        float[][] ds = byChannel(d, name, channels);
        double[] mean = new double[channels];
        double[] sd = new double[channels];
        for (int c = 0; c < channels; c++) {
            double s = 0;
            for (float v : ds[c]) {
                s += v;
            }
            mean[c] = s / ds[c].length;
            double q = 0;
            for (float v : ds[c]) {
                q += (v - mean[c]) * (v - mean[c]);
            }
            sd[c] = Math.sqrt(q / (ds[c].length - 1));
        }
        // A unit (nearly) constant on the data set, such as a ReLU unit that is off at the centre of every image,
        // would get an unbounded z from any response at all; its spread is floored at a tenth of the median spread
        // of the layer's units that vary, so its z says how strong a response is for this layer rather than dividing by zero.
        double[] sorted = java.util.Arrays.stream(sd).filter(x -> x > 0).sorted().toArray();
        double floor = sorted.length == 0 ? 1e-6 : 0.1 * sorted[sorted.length / 2];
        for (int c = 0; c < channels; c++) {
            sd[c] = Math.max(sd[c], floor);
        }
        // the unit's top data-set examples: each image's maximum over every position, the TOP largest averaged
        ActivationResult mx = Activations.of(model).layers(name).reduce(Reduce.MAX).batchSize(16).run(data);
        float[][] maxima = byChannel(mx, name, channels);
        double[] top = new double[channels];
        for (int c = 0; c < channels; c++) {
            float[] v = maxima[c].clone();
            java.util.Arrays.sort(v);
            int n = Math.min(TOP, v.length);
            double s = 0;
            for (int i = v.length - n; i < v.length; i++) {
                s += v[i];
            }
            top[c] = s / n;
        }
        return new Probe(model.name(), name, channels, battery, responses, parameters, mean, sd, top, data.name(),
                d.images());
    }

    /**
     * Writes the probe (its battery's specification, every response and the data-set statistics) so that the
     * rules can be applied again without the model ({@link #load}).
     */
    public void save(java.nio.file.Path file) throws java.io.IOException {
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(
                java.nio.file.Files.newOutputStream(file)))) {
            out.writeUTF("circuitscope-probe-1");
            out.writeUTF(model);
            out.writeUTF(layer);
            out.writeInt(channels);
            for (double v : battery.spec()) {
                out.writeDouble(v);
            }
            out.writeUTF(data);
            out.writeInt(images);
            for (int c = 0; c < channels; c++) {
                out.writeDouble(mean[c]);
                out.writeDouble(sd[c]);
                out.writeDouble(top[c]);
            }
            out.writeInt(responses.size());
            for (Map.Entry<String, float[][]> e : responses.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue()[0].length);
                for (float[] row : e.getValue()) {
                    for (float v : row) {
                        out.writeFloat(v);
                    }
                }
            }
        }
    }

    /** Reads a probe {@link #save} wrote; its battery is rebuilt from the specification and must match. */
    public static Probe load(java.nio.file.Path file) throws java.io.IOException {
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(
                java.nio.file.Files.newInputStream(file)))) {
            if (!in.readUTF().equals("circuitscope-probe-1")) {
                throw new java.io.IOException(file + " is not a saved census probe");
            }
            String model = in.readUTF();
            String layer = in.readUTF();
            int channels = in.readInt();
            double[] spec = new double[5];
            for (int i = 0; i < 5; i++) {
                spec[i] = in.readDouble();
            }
            Battery battery = Battery.build((int) spec[0], (int) spec[1], spec[2], spec[3], spec[4]);
            String data = in.readUTF();
            int images = in.readInt();
            double[] mean = new double[channels];
            double[] sd = new double[channels];
            double[] top = new double[channels];
            for (int c = 0; c < channels; c++) {
                mean[c] = in.readDouble();
                sd[c] = in.readDouble();
                top[c] = in.readDouble();
            }
            int sets = in.readInt();
            Map<String, float[][]> responses = new LinkedHashMap<>();
            Map<String, Table> parameters = new LinkedHashMap<>();
            for (int k = 0; k < sets; k++) {
                String name = in.readUTF();
                int n = in.readInt();
                StimulusSet s = battery.sets().get(name);
                if (s == null || s.count() != n) {
                    throw new java.io.IOException(file + ": set '" + name + "' of " + n + " stimuli does not match "
                            + "this version's battery");
                }
                float[][] r = new float[channels][n];
                for (int c = 0; c < channels; c++) {
                    for (int i = 0; i < n; i++) {
                        r[c][i] = in.readFloat();
                    }
                }
                responses.put(name, r);
                parameters.put(name, s.parameters());
            }
            return new Probe(model, layer, channels, battery, responses, parameters, mean, sd, top, data, images);
        }
    }

    /** channel × image. */
    private static float[][] byChannel(ActivationResult r, String layer, int channels) {
        float[][] out = new float[channels][];
        for (int c = 0; c < channels; c++) {
            out[c] = r.column(layer + ":" + c);
        }
        return out;
    }

    public String model() {
        return model;
    }

    public String layer() {
        return layer;
    }

    public int channels() {
        return channels;
    }

    public Battery battery() {
        return battery;
    }

    /** Channel {@code c}'s responses to the stimuli of set {@code set}, in the set's order. */
    public float[] responses(String set, int c) {
        float[][] r = responses.get(set);
        if (r == null) {
            throw new IllegalArgumentException("no stimulus set '" + set + "'; sets: " + responses.keySet());
        }
        return r[c];
    }

    /** The parameters of each stimulus of a set (as {@link StimulusSet#parameters()}). */
    public Table parameters(String set) {
        return parameters.get(set);
    }

    public List<String> sets() {
        return new ArrayList<>(responses.keySet());
    }

    /** The mean response of channel {@code c} over the data set (at the centre position). */
    public double mean(int c) {
        return mean[c];
    }

    /**
     * The standard deviation of channel {@code c} over the data set, at least a tenth of the layer's median (see
     * {@link #run}).
     */
    public double sd(int c) {
        return sd[c];
    }

    /**
     * The mean of channel {@code c}'s {@link #TOP} largest responses anywhere in a data-set image (each image's
     * maximum over positions): how strongly its top data-set examples drive it.
     */
    public double top(int c) {
        return top[c];
    }

    public String data() {
        return data;
    }

    public int images() {
        return images;
    }
}
