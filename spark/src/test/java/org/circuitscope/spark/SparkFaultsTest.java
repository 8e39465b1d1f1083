package org.circuitscope.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.TaskContext;
import org.apache.spark.TaskKilled;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.circuitscope.activations.ActivationResult;
import org.circuitscope.activations.Activations;
import org.circuitscope.activations.Reduce;
import org.circuitscope.examples.DatasetExamples;
import org.circuitscope.examples.Example;
import org.circuitscope.model.Model;
import org.circuitscope.model.Models;
import org.circuitscope.model.Unit;
import org.circuitscope.organism.World;
import org.circuitscope.progress.Progress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults injected into the tasks of Spark's local mode with up to 4 attempts per task (local[2,4]), 90 organism
 * scenes in 3 partitions: a task that fails on its first attempt is retried and the job's result equals the
 * single-JVM path; a task that always fails stops the job with an error naming the partition and its images, and no
 * partial result; a task killed while it runs (SparkContext.killTaskAttempt, the thread interrupted) is rescheduled
 * and the result is again the single-JVM one.
 */
class SparkFaultsTest {
    static final long SEED = 2024;
    static final int N = 90;
    static SparkJobs jobs;
    static Model model;
    static ActivationResult single;

    // the hooks run in this JVM (local mode), so they count here
    static final AtomicInteger FAILED = new AtomicInteger();
    static final AtomicLong RUNNING = new AtomicLong(-1);
    static final AtomicBoolean INTERRUPTED = new AtomicBoolean();
    static volatile CountDownLatch entered = new CountDownLatch(1);

    @BeforeAll
    static void start() {
        jobs = SparkJobs.local(2, 4).partitions(3).batchSize(16);
        model = Models.load(Models.DEFAULT);
        single = Activations.of(model).layers("conv3").reduce(Reduce.MAX).run(World.scenes(SEED, N));
    }

    @AfterAll
    static void stop() {
        jobs.close();
        model.close();
    }

    @AfterEach
    void noHook() {
        jobs.hook(PartitionHook.NONE);
    }

    private static void assertSingleJvm(Results.Activations d) {
        assertSameAs(single, d, N);
    }

    /** {@code d} has the {@code n} images of {@code single}, in its order, with its activations to float precision. */
    static void assertSameAs(ActivationResult single, Results.Activations d, int n) {
        assertEquals(n, d.images());
        assertEquals(single.ids(), d.ids());
        for (String col : d.columns()) {
            float[] a = single.column(col);
            float[] b = d.column(col);
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-5f * Math.max(1f, Math.abs(a[i])), col + " of image " + i);
            }
        }
    }

    @Test
    void aTaskThatFailsOnceIsRetriedAndTheResultIsTheSingleJvmOne() {
        FAILED.set(0);
        jobs.hook((partition, attempt) -> {
            if (partition == 1 && attempt == 0) {
                FAILED.incrementAndGet();
                throw new IllegalStateException("injected: the first attempt of partition 1 fails");
            }
        });
        assertSingleJvm(jobs.activations(ModelBytes.organism(), SparkImages.world(SEED, N), List.of("conv3"),
                Reduce.MAX));
        assertEquals(1, FAILED.get(), "the fault was not injected once");
        // the exact top-k survives a retried partition too
        FAILED.set(0);
        List<Results.Examples> d = jobs.examples(ModelBytes.organism(), SparkImages.world(SEED, N),
                List.of("conv3:0"), 5, false);
        List<Example> s = DatasetExamples.of(model, List.of(Unit.parse("conv3:0"))).k(5)
                .runAll(World.scenes(SEED, N), Progress.NONE).get(0).examples();
        assertEquals(1, FAILED.get());
        assertEquals(s.stream().map(Example::id).toList(), d.get(0).examples().stream().map(Results.Example::id)
                .toList());
    }

    @Test
    void aTaskThatKeepsFailingStopsTheJobNamingItsPartitionAndImages() {
        FAILED.set(0);
        jobs.hook((partition, attempt) -> {
            if (partition == 1) {
                FAILED.incrementAndGet();
                throw new IllegalStateException("injected: partition 1 always fails");
            }
        });
        SparkJobException e = assertThrows(SparkJobException.class, () -> jobs.activations(ModelBytes.organism(),
                SparkImages.world(SEED, N), List.of("conv3"), Reduce.MAX));
        String m = e.getMessage();
        System.out.println(m);
        assertTrue(m.startsWith("activations of conv3 over 90 images failed: partition 1 of 3"), m);
        assertTrue(m.contains("images 30..59: scene-30 … scene-59, 30 images"), m);
        assertTrue(m.contains("injected: partition 1 always fails"), m);
        assertTrue(m.contains("failed 4 times"), m);
        assertEquals(4, FAILED.get(), "Spark should try the task 4 times");
        assertEquals(0, ModelBytes.inUse(), "a failed job left a model in use");
        // the same context runs the next job normally
        jobs.hook(PartitionHook.NONE);
        assertSingleJvm(jobs.activations(ModelBytes.organism(), SparkImages.world(SEED, N), List.of("conv3"),
                Reduce.MAX));
    }

    @Test
    void aTaskKilledWhileItRunsIsRescheduled() throws Exception {
        entered = new CountDownLatch(1);
        INTERRUPTED.set(false);
        RUNNING.set(-1);
        jobs.hook((partition, attempt) -> {
            if (partition == 1 && attempt == 0) {
                RUNNING.set(TaskContext.get().taskAttemptId());
                entered.countDown();
                try {
                    Thread.sleep(120_000);
                } catch (InterruptedException ie) {
                    INTERRUPTED.set(true);
                    throw ie;
                }
            }
        });
        AtomicInteger killed = new AtomicInteger();
        SparkListener listener = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.reason() instanceof TaskKilled) {
                    killed.incrementAndGet();
                }
            }
        };
        jobs.context().sc().addSparkListener(listener);
        try {
            CompletableFuture<Results.Activations> job = CompletableFuture.supplyAsync(() -> jobs.activations(
                    ModelBytes.organism(), SparkImages.world(SEED, N), List.of("conv3"), Reduce.MAX));
            assertTrue(entered.await(120, TimeUnit.SECONDS), "partition 1 never started");
            assertTrue(jobs.context().sc().killTaskAttempt(RUNNING.get(), true, "test: killed mid-task"),
                    "Spark did not find the running task " + RUNNING.get());
            assertSingleJvm(job.get(180, TimeUnit.SECONDS));
            assertTrue(INTERRUPTED.get(), "the killed task was not interrupted");
            // listener events arrive asynchronously
            for (int i = 0; i < 100 && killed.get() == 0; i++) {
                Thread.sleep(50);
            }
            assertEquals(1, killed.get(), "Spark did not record the task as killed");
        } finally {
            jobs.context().sc().removeSparkListener(listener);
        }
    }
}
