package org.circuitscope.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The next batch is read while the caller works on this one; everything arrives, in order, failures included. */
class BatchReaderTest {
    /** Samples 0..n-1; counts the samples handed out and whether two threads ever read at once. */
    static final class Counting implements Iterator<Sample> {
        final int n;
        final AtomicInteger given = new AtomicInteger();
        final AtomicInteger inside = new AtomicInteger();
        volatile boolean overlapped;
        volatile int failAt = -1;
        volatile CountDownLatch reached;
        volatile int reachAt = -1;
        volatile CountDownLatch release;

        Counting(int n) {
            this.n = n;
        }

        @Override
        public boolean hasNext() {
            return given.get() < n;
        }

        @Override
        public Sample next() {
            if (inside.incrementAndGet() > 1) {
                overlapped = true;
            }
            try {
                int i = given.get();
                if (i == reachAt) {
                    reached.countDown();
                    if (release != null) {
                        release.await();
                    }
                }
                if (i == failAt) {
                    throw new UncheckedIOException("cannot decode image-" + i, new java.io.IOException("bad JPEG"));
                }
                given.incrementAndGet();
                return new Sample("image-" + i, null, new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                inside.decrementAndGet();
            }
        }
    }

    @Test
    void everySampleArrivesInOrderWhateverTheBatchesAsked() {
        Counting it = new Counting(23);
        List<String> ids = new ArrayList<>();
        try (BatchReader r = BatchReader.ahead(it, 5, true)) {
            int[] asks = {3, 5, 7, 1, 20};
            for (int ask : asks) {
                List<Sample> b = r.next(ask);
                assertTrue(b.size() <= ask);
                b.forEach(s -> ids.add(s.id()));
            }
            assertFalse(r.hasNext());
            assertTrue(r.next(4).isEmpty());
        }
        List<String> want = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            want.add("image-" + i);
        }
        assertEquals(want, ids);
        assertFalse(it.overlapped, "two threads read the source at once");
    }

    @Test
    void theNextBatchIsReadWhileTheCallerHoldsThisOne() throws InterruptedException {
        Counting it = new Counting(40);
        it.reached = new CountDownLatch(1);
        it.reachAt = 8; // the first sample of the second batch
        try (BatchReader r = BatchReader.ahead(it, 8, true)) {
            List<Sample> first = r.next(8);
            assertEquals(8, first.size());
            // nobody asks for more, yet the second batch is being read
            assertTrue(it.reached.await(30, TimeUnit.SECONDS), "the second batch was not read ahead");
        }
        // closing waited for that read, and nothing is read after it
        int after = it.given.get();
        Thread.sleep(100);
        assertEquals(after, it.given.get());
        assertTrue(after <= 16, "read " + after + " samples: more than one batch ahead");
    }

    @Test
    void aThreadOnOneCoreReadsInTurn() throws Exception {
        Counting it = new Counting(20);
        try (BatchReader r = BatchReader.ahead(it, 8, false)) {
            assertFalse(r.background());
            assertEquals(0, it.given.get(), "read before it was asked");
            assertEquals(8, r.next(8).size());
            Thread.sleep(50);
            assertEquals(8, it.given.get(), "read ahead on one core");
            assertEquals(8, r.next(8).size());
            assertEquals(4, r.next(8).size());
            assertTrue(r.next(8).isEmpty());
        }
        // the choice follows the calling thread's intra-op threads (a Spark task sets its own to its cores)
        boolean[] chosen = new boolean[2];
        Thread one = new Thread(() -> {
            ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
            try (BatchReader r = BatchReader.ahead(new Counting(3), 2)) {
                chosen[0] = r.background();
            }
            ai.djl.pytorch.jni.JniUtils.setNumThreads(2);
            try (BatchReader r = BatchReader.ahead(new Counting(3), 2)) {
                chosen[1] = r.background();
            }
        });
        one.start();
        one.join();
        assertFalse(chosen[0], "a thread on one core read in the background");
        assertTrue(chosen[1], "a thread on two cores read in turn");
    }

    @Test
    void aFailedReadReachesTheCallerAfterTheSamplesBeforeIt() {
        Counting it = new Counting(30);
        it.failAt = 13;
        try (BatchReader r = BatchReader.ahead(it, 5, true)) {
            assertEquals(5, r.next(5).size());
            assertEquals(5, r.next(5).size());
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> r.next(5));
            assertTrue(e.getMessage().contains("image-13"), e.getMessage());
        }
        Counting inTurn = new Counting(30);
        inTurn.failAt = 13;
        try (BatchReader r = BatchReader.ahead(inTurn, 5, false)) {
            assertEquals(10, r.next(10).size());
            assertThrows(UncheckedIOException.class, () -> r.next(5));
        }
    }

    @Test
    void anInterruptWhileWaitingEndsTheBatchAndKeepsTheFlag() throws Exception {
        Counting it = new Counting(40);
        it.reached = new CountDownLatch(1);
        it.release = new CountDownLatch(1);
        it.reachAt = 4;
        List<Integer> sizes = new ArrayList<>();
        AtomicInteger flag = new AtomicInteger();
        Thread caller = new Thread(() -> {
            try (BatchReader r = BatchReader.ahead(it, 4, true)) {
                sizes.add(r.next(4).size());
                sizes.add(r.next(4).size()); // waits: the second batch is held in the source
                flag.set(Thread.currentThread().isInterrupted() ? 1 : 2);
                it.release.countDown(); // let the read in flight finish, so close() returns
            }
        });
        caller.start();
        assertTrue(it.reached.await(30, TimeUnit.SECONDS));
        Thread.sleep(50);
        caller.interrupt();
        caller.join(30_000);
        assertFalse(caller.isAlive());
        assertEquals(List.of(4, 0), sizes);
        assertEquals(1, flag.get(), "the interrupt flag was cleared");
    }
}
