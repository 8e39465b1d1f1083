import java.nio.file.Path;
import org.circuitscope.featurevis.FeatureVis;
import org.circuitscope.featurevis.FeatureVisResult;
import org.circuitscope.featurevis.objectives.Objectives;
import org.circuitscope.model.Model;
import org.circuitscope.model.Models;

/**
 * Records libtorch's own profile (a Chrome trace) of the feature-visualisation steps that FeatureVisBenchmark
 * times, for profile.sh to set beside PyTorch's profile of the same loop. Not a test.
 *
 * <p>usage: java ProfileStep.java model.onnx layer channel size steps trace.json
 */
public class ProfileStep {
    public static void main(String[] a) throws Exception {
        int size = Integer.parseInt(a[3]);
        int steps = Integer.parseInt(a[4]);
        try (Model model = Models.loadFile(Path.of(a[0]), null)) {
            FeatureVis v = FeatureVis.of(model).objective(Objectives.channel(a[1], Integer.parseInt(a[2])))
                    .size(size).seed(0).reluRedirectSteps(0);
            v.steps(10).render();
            FeatureVisResult plain = v.steps(steps).render();
            ai.djl.pytorch.jni.JniUtils.startProfile(false, false, false);
            FeatureVisResult profiled = v.steps(steps).render();
            ai.djl.pytorch.jni.JniUtils.stopProfile(a[5]);
            System.out.printf("circuitscope: %.2f ms a step (%.2f while profiled)%n",
                    plain.seconds() * 1000 / steps, profiled.seconds() * 1000 / steps);
        }
    }
}
