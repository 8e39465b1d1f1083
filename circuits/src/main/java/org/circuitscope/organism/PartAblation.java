package org.circuitscope.organism;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.circuitscope.activations.Html;
import org.circuitscope.activations.Stats;
import org.circuitscope.display.Displayable;
import org.circuitscope.model.Model;
import org.circuitscope.model.ModelException;
import org.circuitscope.progress.Progress;
import org.circuitscope.tensor.Tensor;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Part ablation on world scenes: how much a class's logit falls when one of its parts is removed, against erasing an
 * equal area elsewhere. For each scene the part is erased by drawing the scene without it (what was behind shows
 * through). Two controls erase, for every box of the part, a box of the same size that does not touch the part,
 * filled with the scene drawn without its object: one anywhere in the image, and a stricter one on the object
 * itself (so it often takes away another part).
 */
public final class PartAblation {
    private final Model model;
    private final Map<String, List<String>> partsByClass = new LinkedHashMap<>();
    private long seed = 20261201L;
    private int scenes = 100;
    private int batchSize = 50;

    private PartAblation(Model model) {
        this.model = model;
    }

    public static PartAblation of(Model model) {
        return new PartAblation(model);
    }

    /** Ablate these parts of this class (for example {@code ("car", "wheel", "window")}). */
    public PartAblation parts(String cls, String... parts) {
        List<String> known = World.scene(seed, 0, cls).partNames(); // rejects an unknown class
        for (String p : parts) {
            if (!known.contains(p)) {
                throw new IllegalArgumentException("a " + cls + " has no part '" + p + "'; its parts are " + known);
            }
        }
        partsByClass.computeIfAbsent(cls, k -> new ArrayList<>()).addAll(List.of(parts));
        return this;
    }

    /** Scenes {@code 0..count-1} of the world with this seed (fresh: not the training seed by default). */
    public PartAblation scenes(long worldSeed, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, got " + count);
        }
        this.seed = worldSeed;
        this.scenes = count;
        return this;
    }

    public PartAblation batchSize(int n) {
        this.batchSize = n;
        return this;
    }

    public Result run() {
        return run(Progress.NONE);
    }

    public Result run(Progress progress) {
        if (partsByClass.isEmpty()) {
            throw new IllegalStateException("name the parts to ablate with parts(class, part...)");
        }
        List<Row> rows = new ArrayList<>();
        int total = partsByClass.values().stream().mapToInt(List::size).sum();
        for (Map.Entry<String, List<String>> e : partsByClass.entrySet()) {
            String cls = e.getKey();
            int index = model.labels().indexOf(cls);
            if (index < 0) {
                throw new ModelException("model '" + model.name() + "' has no class '" + cls + "'; its classes are "
                        + model.labels());
            }
            List<Scene> sceneList = new ArrayList<>();
            List<BufferedImage> intact = new ArrayList<>();
            List<BufferedImage> behind = new ArrayList<>();
            for (int i = 0; i < scenes; i++) {
                Scene s = World.scene(seed, i, cls);
                sceneList.add(s);
                intact.add(s.render());
                behind.add(s.without(s.partNames().toArray(String[]::new)).render());
            }
            Scores base = scores(intact, index);
            for (String part : e.getValue()) {
                if (progress.cancelled()) {
                    return new Result(seed, List.copyOf(rows), true);
                }
                progress.update(rows.size(), total, cls + " without " + part);
                List<BufferedImage> without = new ArrayList<>();
                List<BufferedImage> anywhere = new ArrayList<>();
                List<BufferedImage> onObject = new ArrayList<>();
                for (int i = 0; i < scenes; i++) {
                    Scene s = sceneList.get(i);
                    without.add(s.without(part).render());
                    anywhere.add(patchedOut(s, intact.get(i), behind.get(i), part, false,
                            new SplittableRandom(seed * 31 + i)));
                    onObject.add(patchedOut(s, intact.get(i), behind.get(i), part, true,
                            new SplittableRandom(seed * 37 + i)));
                }
                Scores removed = scores(without, index);
                Scores patch = scores(anywhere, index);
                Scores objectPatch = scores(onObject, index);
                rows.add(new Row(cls, part, scenes, Stats.mean(base.logit()), Stats.mean(removed.logit()),
                        Stats.mean(patch.logit()), Stats.mean(objectPatch.logit()), base.accuracy(),
                        removed.accuracy(), patch.accuracy(), objectPatch.accuracy(),
                        moreThan(removed.logit(), patch.logit()), moreThan(removed.logit(), objectPatch.logit())));
            }
        }
        progress.finish(rows.size() + " ablations of " + scenes + " scenes each");
        return new Result(seed, List.copyOf(rows), false);
    }

    /**
     * The image with, for every box of {@code part}, an equal box elsewhere erased (filled from {@code behind}, the
     * scene drawn without its object): on the object when {@code onObject} (falling back to the whole image when
     * the object leaves no room), else anywhere.
     */
    static BufferedImage patchedOut(Scene s, BufferedImage img, BufferedImage behind, String part, boolean onObject,
                                    SplittableRandom r) {
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        out.setData(img.getData());
        List<PartBox> partBoxes = s.parts().stream().filter(b -> b.name().equals(part)).toList();
        PartBox object = s.objectBox();
        for (PartBox b : partBoxes) {
            int w = b.width();
            int h = b.height();
            int x = 0;
            int y = 0;
            for (int attempt = 0; attempt < 200; attempt++) {
                PartBox area = onObject && attempt < 100 ? object : new PartBox("image", 0, 0, s.size(), s.size());
                x = area.x() + r.nextInt(Math.max(1, area.width() - w + 1));
                y = area.y() + r.nextInt(Math.max(1, area.height() - h + 1));
                x = Math.max(0, Math.min(s.size() - w, x));
                y = Math.max(0, Math.min(s.size() - h, y));
                if (!touches(x, y, w, h, partBoxes)) {
                    break;
                }
            }
            for (int yy = y; yy < y + h; yy++) {
                for (int xx = x; xx < x + w; xx++) {
                    out.setRGB(xx, yy, behind.getRGB(xx, yy));
                }
            }
        }
        return out;
    }

    private static boolean touches(int x, int y, int w, int h, List<PartBox> boxes) {
        for (PartBox b : boxes) {
            if (x < b.x() + b.width() && b.x() < x + w && y < b.y() + b.height() && b.y() < y + h) {
                return true;
            }
        }
        return false;
    }

    /** The class's logit on each image and the share of images the model puts in the class, from one pass. */
    private Scores scores(List<BufferedImage> images, int index) {
        float[] logit = new float[images.size()];
        int correct = 0;
        for (int from = 0; from < images.size(); from += batchSize) {
            Tensor t = model.logits(images.subList(from, Math.min(images.size(), from + batchSize)));
            int classes = (int) t.dim(1);
            for (int i = 0; i < t.dim(0); i++) {
                logit[from + i] = t.get(i, index);
                int best = 0;
                for (int k = 1; k < classes; k++) {
                    if (t.get(i, k) > t.get(i, best)) {
                        best = k;
                    }
                }
                if (best == index) {
                    correct++;
                }
            }
        }
        return new Scores(logit, (double) correct / images.size());
    }

    private record Scores(float[] logit, double accuracy) {
    }

    /** The share of scenes where removing the part lowered the logit more than the patch did. */
    private static double moreThan(float[] without, float[] patched) {
        int n = 0;
        for (int i = 0; i < without.length; i++) {
            if (without[i] < patched[i]) {
                n++;
            }
        }
        return (double) n / without.length;
    }

    /**
     * One class and part: mean logits and accuracies intact, without the part, with an equal-area patch erased
     * anywhere in the image, and with one erased on the object; the share of scenes where the part's removal
     * lowered the logit more than each patch.
     */
    public record Row(String cls, String part, int scenes, double logit, double logitWithout, double logitPatch,
                      double logitObjectPatch, double accuracy, double accuracyWithout, double accuracyPatch,
                      double accuracyObjectPatch, double partBeatsPatch, double partBeatsObjectPatch) {
        public double drop() {
            return logit - logitWithout;
        }

        /** The drop when an equal area anywhere in the image is erased (the control). */
        public double patchDrop() {
            return logit - logitPatch;
        }

        /** The drop when an equal area elsewhere on the object is erased (the stricter control). */
        public double objectPatchDrop() {
            return logit - logitObjectPatch;
        }
    }

    /** The ablation table. */
    public record Result(long seed, List<Row> rows, boolean partial) implements Displayable {

        public Row row(String cls, String part) {
            return rows.stream().filter(r -> r.cls().equals(cls) && r.part().equals(part)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no ablation of " + cls + " " + part));
        }

        public Table table() {
            StringColumn cls = StringColumn.create("class");
            StringColumn part = StringColumn.create("part");
            IntColumn n = IntColumn.create("scenes");
            DoubleColumn logit = DoubleColumn.create("logit");
            DoubleColumn drop = DoubleColumn.create("drop: part removed");
            DoubleColumn patch = DoubleColumn.create("drop: patch anywhere");
            DoubleColumn objectPatch = DoubleColumn.create("drop: patch on object");
            DoubleColumn beats = DoubleColumn.create("part > patch anywhere");
            DoubleColumn beatsObject = DoubleColumn.create("part > patch on object");
            DoubleColumn acc = DoubleColumn.create("accuracy");
            DoubleColumn accWithout = DoubleColumn.create("accuracy: part removed");
            DoubleColumn accPatch = DoubleColumn.create("accuracy: patch anywhere");
            DoubleColumn accObject = DoubleColumn.create("accuracy: patch on object");
            for (Row r : rows) {
                cls.append(r.cls());
                part.append(r.part());
                n.append(r.scenes());
                logit.append(r.logit());
                drop.append(r.drop());
                patch.append(r.patchDrop());
                objectPatch.append(r.objectPatchDrop());
                beats.append(r.partBeatsPatch());
                beatsObject.append(r.partBeatsObjectPatch());
                acc.append(r.accuracy());
                accWithout.append(r.accuracyWithout());
                accPatch.append(r.accuracyPatch());
                accObject.append(r.accuracyObjectPatch());
            }
            return Table.create("part ablation (world seed " + seed + ")", cls, part, n, logit, drop, patch,
                    objectPatch, beats, beatsObject, acc, accWithout, accPatch, accObject);
        }

        @Override
        public Map<String, Object> representations() {
            return Html.summaryOverTable(toString(), table(), rows.size(), true);
        }

        @Override
        public String toString() {
            return "part ablation on world seed " + seed + ": " + rows.size() + " class/part pairs"
                    + (partial ? " (interrupted)" : "");
        }
    }
}
