package org.circuitscope.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.circuitscope.activations.ActivationResult;
import org.circuitscope.image.TestImages;
import org.circuitscope.model.Model;
import org.circuitscope.organism.World;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every magic's bad input, one row each, typed as a user types it (on the default model, the organism): each gives
 * a {@link MagicException} with one line that starts with the magic's name once and names the bad value, and the
 * session goes on working. Images that used to be decoded wrong (CMYK, 16-bit, grey) are read, not refused.
 */
class BadInputTest {
    @TempDir
    static Path files;
    private static InMemoryContext context;
    private static final Map<String, Magic> MAGICS = MagicProvider.all().stream()
            .collect(Collectors.toMap(Magic::name, Function.identity()));

    /** A bad line, and the texts its message must contain (the bad value, what is wrong). */
    private record Row(String line, String... expected) {
    }

    private static final List<Row> ROWS = List.of(
            // %featurevis
            new Row("featurevis nolayer:3 --steps 1", "no layer 'nolayer'"),
            new Row("featurevis conv4:999 --steps 1", "999"),
            new Row("featurevis conv4:x --steps 1", "conv4:x"),
            new Row("featurevis conv4:3 --steps 0", "--steps", "not 0"),
            new Row("featurevis conv4:3 --steps -5", "--steps", "-5"),
            new Row("featurevis conv4:3 --steps 1000000000", "--steps", "1000000000"),
            new Row("featurevis conv4:3 --steps many", "--steps", "'many'"),
            new Row("featurevis conv4:3 --size 0", "--size 0"),
            new Row("featurevis conv4:3 --size 100000", "--size 100000"),
            new Row("featurevis conv4:3 --batch 0", "--batch", "not 0"),
            new Row("featurevis conv4:3 --batch 100000", "--batch", "100000"),
            new Row("featurevis conv4:3 --lr -1", "--lr", "-1"),
            new Row("featurevis conv4:3 --diversity nan --batch 2", "--diversity", "'nan'"),
            new Row("featurevis conv4:3 --stepz 5", "--stepz", "did you mean --steps?"),
            new Row("featurevis nosuchmodel conv4:3", "no loaded model called 'nosuchmodel'"),
            new Row("featurevis conv4:3 extra", "unexpected argument 'extra'"),
            new Row("featurevis conv4 --channels 0-999", "999", "out of range"),
            new Row("featurevis conv4 --channels abc", "'abc'"),
            new Row("featurevis conv4:3 --param wavelet", "'wavelet'"),
            new Row("featurevis conv4:3 --as 1bad", "'1bad'"),
            new Row("featurevis", "needs one unit"),
            // %activations
            new Row("activations world:4 --layers nolayer", "no layer 'nolayer'"),
            new Row("activations world:4", "--layers"),
            new Row("activations world:4 --layers ,", "--layers needs at least one layer"),
            new Row("activations /no/such/folder --layers conv1", "/no/such/folder"),
            new Row("activations EMPTY --layers conv1", "EMPTY", "holds no image files"),
            new Row("activations CORRUPT --layers conv1", "no image of", "bad.png"),
            new Row("activations HUGE --layers conv1", "huge.png", "200000x200000"),
            new Row("activations world:4 --layers conv1 --limit -1", "--limit", "-1"),
            new Row("activations world:4 --layers conv1 --limit 0", "--limit", "not 0"),
            new Row("activations world:4 --layers conv1 --batch 0", "--batch", "not 0"),
            new Row("activations world:4 --layers conv1 --reduce median", "median"),
            new Row("activations GOOD --layers conv1 --resize -3", "--resize", "-3"),
            new Row("activations GOOD --layers conv1 --label-regex ([", "'(['"),
            new Row("activations world:-4 --layers conv1", "-4"),
            new Row("activations world:many --layers conv1", "world:many"),
            new Row("activations world:4 extra --layers conv1", "unexpected argument 'extra'"),
            new Row("activations world:4 --layerz conv1", "--layerz", "did you mean --layers?"),
            new Row("activations nowhere --layers conv1", "no image source 'nowhere'"),
            // %examples
            new Row("examples conv4:999 world:4", "999"),
            new Row("examples conv4:3 world:4 --k 0", "--k", "not 0"),
            new Row("examples conv4:3 world:4 --k -1", "--k", "-1"),
            new Row("examples conv4:3 EMPTY", "holds no image files"),
            new Row("examples conv4:3 CORRUPT", "no image of", "bad.png"),
            new Row("examples conv4:3", "needs a unit", "and an image source"),
            new Row("examples conv4:3 world:4 --crop --full", "not both"),
            new Row("examples conv4:3 world:4 --limit -1", "--limit", "-1"),
            // %universality
            new Row("universality nosuchmodel --data world --images 10", "'nosuchmodel'"),
            new Row("universality organism --layers organism=nolayer --data world", "'nolayer'"),
            new Row("universality organism --depth 3", "--depth", "3"),
            new Row("universality organism --images 5", "--images", "5"),
            new Row("universality organism --data /no/such/folder", "/no/such/folder"),
            // %tuning
            new Row("tuning conv2:5 curves --orient 0:360:0.0001", "3600000"),
            new Row("tuning conv2:5 curves --radius -5", "--radius", "-5"),
            new Row("tuning conv2:5 curves --thickness 0", "--thickness", "not 0"),
            new Row("tuning conv2:5 curves --orient 5:1:1", "5:1:1"),
            new Row("tuning conv2:999 curves", "999"),
            new Row("tuning nolayer:1 curves", "no layer 'nolayer'"),
            new Row("tuning conv2:5 squiggles", "squiggles"),
            new Row("tuning conv2:5 curves --orient 0:360:1 --radius 1:100:1 --span 10:360:10", "stimuli"),
            new Row("tuning conv2:5 curves --color mauve", "'mauve'"),
            new Row("tuning conv2:5 curves --background fog", "'fog'"),
            new Row("tuning conv2:5 curves --orient north", "'north'"),
            new Row("tuning conv2:5", "needs a unit"),
            new Row("tuning conv2:5 curves extra", "unexpected argument 'extra'"),
            // %weights
            new Row("weights conv4:999", "999"),
            new Row("weights conv4:3 --top 0", "--top", "not 0"),
            new Row("weights conv4:3 --input 999", "999"),
            new Row("weights conv4:3 --input -1", "--input", "-1"),
            new Row("weights conv4:3 --from nolayer", "nolayer"),
            new Row("weights conv4:3 --thumbs pictures", "'pictures'"),
            new Row("weights conv4", "conv4"),
            // %circuit
            new Row("circuit conv4:3 --depth 0", "--depth", "not 0"),
            new Row("circuit conv4:3 --depth 99", "--depth", "99"),
            new Row("circuit conv4:999", "999"),
            new Row("circuit conv4:3 --data /no/such", "/no/such"),
            new Row("circuit conv4:3 --data EMPTY", "holds no image files"),
            new Row("circuit conv4:3 --images 0", "--images", "not 0"),
            new Row("circuit conv4:3 --by votes", "'votes'"),
            // %attribution
            new Row("attribution car", "--from"),
            new Row("attribution carr --from conv5", "'carr'"),
            new Row("attribution car --from nolayer", "nolayer"),
            new Row("attribution car --from conv5 --images 0", "--images", "not 0"),
            // %model
            new Row("model load /no/such/file.onnx", "/no/such/file.onnx"),
            new Row("model load organism --input-size 100000", "--input-size", "100000"),
            new Row("model load organism --input-size 0", "--input-size", "not 0"),
            new Row("model load organism --range 5..1", "--range 5..1"),
            new Row("model load organism --range a..b", "'a..b'"),
            new Row("model load organism --mean 1,2", "mean"),
            new Row("model load organism --std 0", "std"),
            new Row("model load nosuchzoomodel", "nosuchzoomodel"),
            new Row("model load BADONNX", "bad.onnx"),
            new Row("model load organism extra", "unexpected argument 'extra'"),
            new Row("model lod organism", "'lod'", "did you mean %model load?"),
            new Row("model use nothere", "nothere"),
            new Row("model layers nothere", "nothere"));

    @BeforeAll
    static void folders() throws Exception {
        context = new InMemoryContext();
        Files.createDirectories(files.resolve("empty"));
        Files.writeString(files.resolve("empty/readme.txt"), "no images here");
        Files.createDirectories(files.resolve("corrupt"));
        Files.write(files.resolve("corrupt/bad.png"), "not a png at all, just text".getBytes());
        Files.createDirectories(files.resolve("huge"));
        Files.write(files.resolve("huge/huge.png"), TestImages.pngDeclaring(200_000, 200_000));
        Path good = Files.createDirectories(files.resolve("good"));
        Files.write(good.resolve("a.png"), TestImages.png(64));
        Files.write(files.resolve("bad.onnx"), "garbage that ends in .onnx".getBytes());
        // images that used to come out wrong, and a corrupt one beside them
        Path awkward = Files.createDirectories(files.resolve("awkward"));
        Files.write(awkward.resolve("cmyk.jpg"), TestImages.adobeCmykJpeg(World.scene(1, 2).render()));
        Files.write(awkward.resolve("grey16.png"), TestImages.encode(TestImages.grey(64, true), "png"));
        Files.write(awkward.resolve("grey.jpg"), TestImages.encode(TestImages.grey(64, false), "jpeg"));
        Files.write(awkward.resolve("broken.jpg"), Arrays.copyOf(TestImages.encode(TestImages.grey(64, false),
                "jpeg"), 200));
    }

    @AfterAll
    static void close() {
        LoadedModels.of(context.session()).all().values().forEach(Model::close);
    }

    private static List<String> words(String line) {
        List<String> w = new ArrayList<>();
        for (String s : line.trim().split("\\s+")) {
            w.add(switch (s) {
                case "EMPTY" -> files.resolve("empty").toString();
                case "CORRUPT" -> files.resolve("corrupt").toString();
                case "HUGE" -> files.resolve("huge").toString();
                case "GOOD" -> files.resolve("good").toString();
                case "AWKWARD" -> files.resolve("awkward").toString();
                case "BADONNX" -> files.resolve("bad.onnx").toString();
                default -> s;
            });
        }
        return w;
    }

    private static Object run(String line) throws Exception {
        List<String> w = words(line);
        return MAGICS.get(w.get(0)).line(context, w.subList(1, w.size()));
    }

    @Test
    void everyBadInputGetsOneLineNamingIt() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Row row : ROWS) {
            String magic = row.line().split(" ")[0];
            String message;
            try {
                Object r = run(row.line());
                wrong.add(row.line() + " -> accepted (" + r + ")");
                continue;
            } catch (MagicException e) {
                message = e.getMessage();
            } catch (Exception | Error e) {
                wrong.add(row.line() + " -> " + e.getClass().getName() + ": " + e.getMessage());
                continue;
            }
            String shown = message.replace(files.toString(), "");
            List<String> missing = Arrays.stream(row.expected()).map(x -> x.replace("EMPTY", "empty"))
                    .filter(x -> !shown.contains(x)).toList();
            if (!message.startsWith("%" + magic)) {
                wrong.add(row.line() + " -> not prefixed with %" + magic + ": " + message);
            } else if (message.indexOf("%" + magic, 1) >= 0 && message.startsWith("%" + magic + ": %" + magic)) {
                wrong.add(row.line() + " -> prefixed twice: " + message);
            } else if (message.contains("\n")) {
                wrong.add(row.line() + " -> more than one line: " + message);
            } else if (!missing.isEmpty()) {
                wrong.add(row.line() + " -> does not say " + missing + ": " + message);
            }
            System.out.println("%" + row.line() + "\n    " + message);
        }
        wrong.forEach(w -> System.out.println("WRONG " + w));
        assertEquals(List.of(), wrong);
        System.out.println(ROWS.size() + " bad lines, each refused with one line naming the bad value");
        // the session is intact: the next cell runs
        ActivationResult ok = assertInstanceOf(ActivationResult.class, run("activations world:4 --layers conv1"));
        assertEquals(4, ok.images());
    }

    @Test
    void cmykSixteenBitAndGreyImagesAreReadAndTheBrokenOneIsListed() throws Exception {
        ActivationResult r = assertInstanceOf(ActivationResult.class, run("activations AWKWARD --layers conv1"));
        assertEquals(3, r.images(), r.toString());
        assertEquals(1, r.problems().size(), r.problems().toString());
        assertTrue(r.problems().get(0).startsWith("broken.jpg"), r.problems().toString());
        assertFalse(r.partial());
    }
}
