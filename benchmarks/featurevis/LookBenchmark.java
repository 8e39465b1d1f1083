import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.circuitscope.featurevis.FeatureVis;
import org.circuitscope.featurevis.FeatureVisResult;
import org.circuitscope.featurevis.ImageStats;
import org.circuitscope.featurevis.param.ImageParams;
import org.circuitscope.model.Model;
import org.circuitscope.model.Models;

/**
 * The look of circuitscope's feature visualisations, measured as lucid_reference.py measures its own: for each
 * SqueezeNet unit, one image per parameterisation (fft, Lucid's default, and maco), the share of colour values at 0
 * or 255, within 5 levels of them, and the spectral energy above half the Nyquist frequency. Not a test: run look.sh.
 *
 * <p>usage: java LookBenchmark.java model.onnx steps size params(fft,maco) layer:channel...
 */
public class LookBenchmark {
    public static void main(String[] args) {
        int steps = Integer.parseInt(args[1]);
        int size = Integer.parseInt(args[2]);
        String[] params = args[3].split(",");
        try (Model model = Models.loadFile(Path.of(args[0]), null)) {
            for (int i = 4; i < args.length; i++) {
                for (String p : params) {
                    long t0 = System.nanoTime();
                    FeatureVisResult r = FeatureVis.of(model).objective(args[i]).param(ImageParams.byName(p))
                            .steps(steps).size(size).seed(0).render();
                    BufferedImage img = r.image();
                    double[] t = r.trace();
                    System.out.printf("%s\t%s\tclipped %.3f\tsaturated %.3f\thf %.4f\tobjective %.1f\t%.0f s%n",
                            args[i], p, ImageStats.clippedShare(img), ImageStats.saturatedShare(img, 5),
                            ImageStats.highFrequencyShare(img), t[t.length - 1], (System.nanoTime() - t0) / 1e9);
                }
            }
        }
    }
}
