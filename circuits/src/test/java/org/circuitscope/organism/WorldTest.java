package org.circuitscope.organism;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.circuitscope.data.ImageSource;
import org.circuitscope.data.Sample;
import org.junit.jupiter.api.Test;

class WorldTest {

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    @Test
    void sameSeedGivesTheSamePixelsBitForBit() {
        for (int i = 0; i < 50; i++) {
            BufferedImage a = World.scene(11, i).render();
            BufferedImage b = World.scene(11, i).render();
            assertEquals(BufferedImage.TYPE_INT_RGB, a.getType());
            assertEquals(World.SIZE, a.getWidth());
            assertEquals(World.SIZE, a.getHeight());
            assertArrayEquals(pixels(a), pixels(b), "scene " + i);
        }
        // order does not matter: scene 40 drawn alone equals scene 40 reached through the source
        Iterator<Sample> it = World.scenes(11, 50).iterator();
        Sample s = null;
        for (int i = 0; i <= 40; i++) {
            s = it.next();
        }
        assertArrayEquals(pixels(World.scene(11, 40).render()), pixels(s.image()));
    }

    @Test
    void differentSeedsDiffer() {
        int same = 0;
        for (int i = 0; i < 20; i++) {
            if (java.util.Arrays.equals(pixels(World.scene(1, i).render()), pixels(World.scene(2, i).render()))) {
                same++;
            }
        }
        assertEquals(0, same);
        assertFalse(java.util.Arrays.equals(pixels(World.scene(1, 0).render()),
                pixels(World.scene(1, 1).render())));
    }

    @Test
    void sourceIsLazyLabelledAndInAFixedOrder() {
        ImageSource src = World.scenes(3, 400);
        assertEquals(400, src.size().getAsInt());
        assertEquals(World.CLASSES, src.labels());
        assertEquals(8, src.labels().size());
        Map<String, Integer> counts = new HashMap<>();
        int i = 0;
        for (Sample s : src) {
            assertEquals("scene-" + i, s.id());
            assertEquals(World.scene(3, i).label(), s.label());
            assertTrue(World.CLASSES.contains(s.label()));
            counts.merge(s.label(), 1, Integer::sum);
            i++;
        }
        assertEquals(400, i);
        for (String c : World.CLASSES) {
            assertTrue(counts.getOrDefault(c, 0) >= 25, c + " is too rare: " + counts);
        }
        assertThrows(IllegalArgumentException.class, () -> World.scenes(3, -1));
    }

    @Test
    void everyClassRendersItsParts() {
        Map<String, List<String>> expected = Map.of(
                "car", List.of("body", "window", "wheel"),
                "bicycle", List.of("wheel", "frame", "seat", "handlebar"),
                "dog_left", List.of("head", "ear", "snout", "eye", "nose"),
                "dog_right", List.of("head", "ear", "snout", "eye", "nose"),
                "clock", List.of("face", "rim", "ticks", "hands"),
                "house", List.of("walls", "roof", "door", "window"),
                "tree", List.of("trunk", "crown"),
                "fish", List.of("tail", "body", "fin", "eye"));
        assertEquals(World.CLASSES.size(), expected.size());
        for (String c : World.CLASSES) {
            for (int i = 0; i < 5; i++) {
                Scene s = World.scene(5, i, c);
                assertEquals(c, s.label());
                assertEquals(expected.get(c), s.partNames(), c);
                Scene bare = s.without(s.partNames().toArray(String[]::new));
                int[] a = pixels(s.render());
                int[] b = pixels(bare.render());
                int changed = 0;
                for (int p = 0; p < a.length; p++) {
                    if (a[p] != b[p]) {
                        changed++;
                    }
                }
                assertTrue(changed > 60, c + " scene " + i + " draws only " + changed + " pixels");
            }
        }
        assertEquals(2, World.scene(5, 0, "car").parts().stream().filter(p -> p.name().equals("wheel")).count());
        assertEquals(2, World.scene(5, 0, "bicycle").parts().stream().filter(p -> p.name().equals("wheel")).count());
        assertEquals(2, World.scene(5, 0, "house").parts().stream().filter(p -> p.name().equals("window")).count());
        assertThrows(IllegalArgumentException.class, () -> World.scene(5, 0, "unicorn"));
    }

    @Test
    void carWheelsAreBelowItsWindowsAndDogsAreMirrored() {
        for (int i = 0; i < 30; i++) {
            Scene car = World.scene(8, i, "car");
            assertTrue(car.box("wheel").centerY() > car.box("window").centerY(), car.toString());
            Scene left = World.scene(8, i, "dog_left");
            assertTrue(left.box("nose").centerX() < left.box("ear").centerX(), left.toString());
            Scene right = World.scene(8, i, "dog_right");
            assertTrue(right.box("nose").centerX() > right.box("ear").centerX(), right.toString());
        }
    }

    @Test
    void partBoxesLieInsideTheImage() {
        for (int i = 0; i < 400; i++) {
            Scene s = World.scene(21, i);
            List<PartBox> all = new ArrayList<>(s.parts());
            all.addAll(s.distractors());
            assertFalse(s.parts().isEmpty());
            for (PartBox b : all) {
                assertTrue(b.x() >= 0 && b.y() >= 0 && b.width() > 0 && b.height() > 0, b.toString());
                assertTrue(b.x() + b.width() <= World.SIZE && b.y() + b.height() <= World.SIZE, b.toString());
            }
            // the object was placed with room to spare: its boxes were not clipped
            for (PartBox b : s.parts()) {
                assertTrue(b.x() >= 1 && b.y() >= 1 && b.x() + b.width() <= World.SIZE - 1
                        && b.y() + b.height() <= World.SIZE - 1, s.toString());
            }
        }
    }

    @Test
    void removingAPartChangesPixelsOnlyInsideItsBoxes() {
        Map<String, Integer> changedPerPart = new HashMap<>();
        for (int i = 0; i < 160; i++) {
            Scene s = World.scene(31, i);
            int[] full = pixels(s.render());
            for (String part : s.partNames()) {
                List<PartBox> boxes = s.parts().stream().filter(b -> b.name().equals(part)).toList();
                int[] ablated = pixels(s.without(part).render());
                for (int p = 0; p < full.length; p++) {
                    if (full[p] != ablated[p]) {
                        int x = p % World.SIZE;
                        int y = p / World.SIZE;
                        assertTrue(boxes.stream().anyMatch(b -> b.contains(x, y)),
                                "removing " + part + " changed (" + x + "," + y + ") outside " + boxes + " in " + s);
                        changedPerPart.merge(s.label() + "." + part, 1, Integer::sum);
                    }
                }
                assertFalse(s.without(part).parts().stream().anyMatch(b -> b.name().equals(part)));
            }
        }
        // and every part of every class does change something
        for (String c : World.CLASSES) {
            for (String part : World.scene(31, 0, c).partNames()) {
                assertTrue(changedPerPart.getOrDefault(c + "." + part, 0) > 0, c + "." + part);
            }
        }
    }

    @Test
    void movingAndIsolatingParts() {
        Scene car = World.scene(41, 3, "car").withoutDistractors();
        Scene moved = car.moved("wheel", 4, -2);
        List<PartBox> before = car.parts().stream().filter(b -> b.name().equals("wheel")).toList();
        List<PartBox> after = moved.parts().stream().filter(b -> b.name().equals("wheel")).toList();
        for (int k = 0; k < before.size(); k++) {
            assertEquals(before.get(k).centerX() + 4, after.get(k).centerX(), 1.01);
            assertEquals(before.get(k).centerY() - 2, after.get(k).centerY(), 1.01);
        }
        assertEquals(car.box("body"), moved.box("body"));
        assertFalse(java.util.Arrays.equals(pixels(car.render()), pixels(moved.render())));
        assertTrue(moved.id().startsWith("scene-3/"));

        // wheels alone: only wheel pixels differ from the bare background
        Scene wheels = World.scene(41, 3, "car").only("wheel");
        assertEquals(List.of("wheel"), wheels.partNames());
        assertTrue(wheels.distractors().isEmpty());
        Scene bare = car.without(car.partNames().toArray(String[]::new));
        int[] a = pixels(wheels.render());
        int[] b = pixels(bare.render());
        int changed = 0;
        for (int p = 0; p < a.length; p++) {
            if (a[p] != b[p]) {
                int x = p % World.SIZE;
                int y = p / World.SIZE;
                assertTrue(before.stream().anyMatch(w -> w.contains(x, y)));
                changed++;
            }
        }
        assertTrue(changed > 10);

        Scene flat = car.onFlatBackground(Color.WHITE);
        assertEquals(0xffffffff, flat.render().getRGB(0, 0));
        assertThrows(IllegalArgumentException.class, () -> car.without("ear"));
        assertNotNull(car.box("window"));
    }

    @Test
    void toChwWritesChannelMajorUnitRange() {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        img.setRGB(3, 2, 0xff8000);
        float[] x = new float[3 * 64 * 64 + 5];
        World.toChw(img, x, 5);
        int p = 2 * 64 + 3;
        assertEquals(1f, x[5 + p]);
        assertEquals(128 / 255f, x[5 + 4096 + p]);
        assertEquals(0f, x[5 + 8192 + p]);
    }
}
