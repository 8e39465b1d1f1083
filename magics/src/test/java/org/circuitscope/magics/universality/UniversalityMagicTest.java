package org.circuitscope.magics.universality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.circuitscope.census.Family;
import org.circuitscope.census.PeriodicTable;
import org.circuitscope.census.Similarity;
import org.circuitscope.magics.InMemoryContext;
import org.circuitscope.magics.MagicException;
import org.junit.jupiter.api.Test;

/** %universality as a user types it, on the two embedded organisms. */
class UniversalityMagicTest {
    private final UniversalityMagic magic = new UniversalityMagic();
    private final InMemoryContext context = new InMemoryContext();

    private Object run(String line) throws Exception {
        return magic.line(context, Arrays.asList(line.trim().split("\\s+")));
    }

    @Test
    void bothOrganismsAndAControl() throws Exception {
        PeriodicTable t = assertInstanceOf(PeriodicTable.class,
                run("organism organism-seed8 --data world --images 20 --control --layers organism-seed8=conv4 --as t"));
        assertEquals(3, t.censuses().size());
        assertEquals("organism", t.censuses().get(0).model());
        assertEquals("conv3", t.censuses().get(0).layer(), "comparable depth: a field of 18 of 64 pixels");
        assertEquals("conv4", t.censuses().get(1).layer(), "as --layers says");
        assertEquals("organism-shuffled1", t.censuses().get(2).model());
        assertEquals(48, t.censuses().get(0).verdicts().size());
        assertEquals(Family.values().length + 3, t.table().rowCount());
        assertEquals(4, t.table().columnCount());
        assertTrue(context.variables.get("t") == t);
        assertTrue(t.toString().contains("organism-seed8 conv4"), t.toString());
        System.out.println(t.table().print());
    }

    @Test
    void matchingDictionaryFeaturesAcrossTwoModels() throws Exception {
        new org.circuitscope.magics.dictionary.DictionaryMagic().line(context, Arrays.asList(("conv3 --method sae "
                + "--size 96 --k 6 --images 32 --positions 32 --steps 400 --features 0 --data world --as sae1")
                .split(" ")));
        Similarity s = assertInstanceOf(Similarity.class, run("organism organism-seed8 --match --data world "
                + "--images 30 --layers organism=conv3/sae1,organism-seed8=conv3 --as sim"));
        System.out.println(s);
        System.out.println(s.distributions().print());
        assertEquals("conv3/sae1", s.real().layerA());
        assertEquals("conv3", s.real().layerB());
        assertEquals(96, s.real().correlation().length);
        assertEquals(30, s.real().images());
        assertTrue(context.variables.get("sim") == s);
        assertTrue(s.real().medianBest() > s.shuffledImages().medianBest(), s.toString());
        MagicException e = assertThrows(MagicException.class, () -> run("organism organism-seed8 --match --data "
                + "world --layers organism=conv3/nodict"));
        assertTrue(e.getMessage().contains("conv3/nodict"), e.getMessage());
        e = assertThrows(MagicException.class, () -> run("organism --match --data world"));
        assertTrue(e.getMessage().contains("two models"), e.getMessage());
    }

    @Test
    void badInputNamesTheBadValue() {
        MagicException e = assertThrows(MagicException.class, () -> run("nosuchmodel --data world --images 10"));
        assertTrue(e.getMessage().contains("'nosuchmodel'"), e.getMessage());
        e = assertThrows(MagicException.class, () -> run("organism --layers organism=nolayer --data world"));
        assertTrue(e.getMessage().contains("'nolayer'"), e.getMessage());
        e = assertThrows(MagicException.class, () -> run("organism --layers other=conv2 --data world"));
        assertTrue(e.getMessage().contains("'other'"), e.getMessage());
        e = assertThrows(MagicException.class, () -> run("organism --depth 3"));
        assertTrue(e.getMessage().contains("depth"), e.getMessage());
        e = assertThrows(MagicException.class, () -> run("organism --data /no/such/folder"));
        assertTrue(e.getMessage().contains("/no/such/folder"), e.getMessage());
    }
}
