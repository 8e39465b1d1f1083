package org.circuitscope.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.circuitscope.activations.ActivationResult;
import org.circuitscope.activations.Activations;
import org.circuitscope.activations.Reduce;
import org.circuitscope.model.Model;
import org.circuitscope.model.Models;
import org.circuitscope.organism.World;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The loss of a whole executor JVM mid-job. Spark's {@code local-cluster[2,1,1024]} master runs a standalone master
 * and two workers in this JVM and each executor in a JVM of its own, started from this test's class path (Spark's
 * launcher, told it runs under test, takes the class path from {@code spark.executor.extraClassPath} instead of a
 * Spark distribution's jars). While partition 1's first attempt runs (held for a while by the test hook, in the
 * executor), the test kills that executor's process outright (SIGKILL: no shutdown hooks, nothing closed). Spark
 * must notice the lost executor, run the partition again elsewhere, and the job's result must be the single-JVM
 * one: nothing dropped, nothing counted twice.
 */
class SparkExecutorLossTest {
    static final long SEED = 2024;
    static final int N = 90;

    @Test
    void anExecutorJvmKilledMidTaskIsReplacedAndTheResultIsTheSingleJvmOne() throws Exception {
        // the executor's process is found through /proc (Linux)
        Assumptions.assumeTrue(java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self")),
                "no /proc here: cannot find an executor's process to kill");
        String opens = System.getProperty("circuitscope.spark.opens", "");
        SparkConf conf = new SparkConf().setMaster("local-cluster[2,1,1024]").setAppName("circuitscope-loss")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.executor.memory", "1024m")
                .set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .set("spark.executor.extraJavaOptions", opens + " -Dai.djl.offline=true")
                .set("spark.executorEnv.SPARK_TESTING", "1")
                .set("spark.executorEnv.SPARK_SCALA_VERSION", "2.13")
                .set("spark.executorEnv.OPT_OUT_TRACKING", "true")
                .set("spark.task.maxFailures", "4");
        ActivationResult single;
        try (Model model = Models.load(Models.DEFAULT)) {
            single = Activations.of(model).layers("conv3").reduce(Reduce.MAX).run(World.scenes(SEED, N));
        }
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            String app = sc.sc().applicationId();
            AtomicReference<String> victim = new AtomicReference<>();
            CountDownLatch started = new CountDownLatch(1);
            AtomicInteger removed = new AtomicInteger();
            AtomicInteger again = new AtomicInteger();
            sc.sc().addSparkListener(new SparkListener() {
                @Override
                public void onTaskStart(SparkListenerTaskStart start) {
                    if (start.taskInfo().index() == 1 && start.taskInfo().attemptNumber() == 0) {
                        victim.set(start.taskInfo().executorId());
                        started.countDown();
                    } else if (start.taskInfo().index() == 1) {
                        again.incrementAndGet();
                    }
                }

                @Override
                public void onExecutorRemoved(SparkListenerExecutorRemoved e) {
                    removed.incrementAndGet();
                }
            });
            SparkJobs jobs = SparkJobs.of(sc).partitions(3).batchSize(16)
                    // in the executor: partition 1's first attempt waits, long enough to be killed in
                    .hook((partition, attempt) -> {
                        if (partition == 1 && attempt == 0) {
                            Thread.sleep(60_000);
                        }
                    });
            CompletableFuture<Results.Activations> job = CompletableFuture.supplyAsync(() -> jobs.activations(
                    ModelBytes.organism(), SparkImages.world(SEED, N), List.of("conv3"), Reduce.MAX));
            assertTrue(started.await(180, TimeUnit.SECONDS), "partition 1 never started");
            ProcessHandle executor = executorProcess(app, victim.get()).orElseThrow(() -> new AssertionError(
                    "no process for executor " + victim.get() + " of " + app + " among: " + executors()));
            assertTrue(executor.destroyForcibly(), "could not kill executor " + victim.get());
            assertTrue(executor.onExit().get(60, TimeUnit.SECONDS) != null);

            Results.Activations d = job.get(300, TimeUnit.SECONDS);
            SparkFaultsTest.assertSameAs(single, d, N);
            for (int i = 0; i < 100 && removed.get() == 0; i++) {
                Thread.sleep(50);
            }
            assertTrue(removed.get() >= 1, "Spark did not record the executor as lost");
            assertTrue(again.get() >= 1, "partition 1 was not run again after its executor died");
        }
    }

    private static List<String> executors() {
        return ProcessHandle.allProcesses().map(p -> String.join(" ", arguments(p)))
                .filter(c -> c.contains("Executor")).toList();
    }

    /** A process's arguments from /proc (ProcessHandle.Info leaves out those of long command lines). */
    private static List<String> arguments(ProcessHandle p) {
        try {
            byte[] b = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc", Long.toString(p.pid()),
                    "cmdline"));
            return List.of(new String(b, java.nio.charset.StandardCharsets.UTF_8).split("\u0000"));
        } catch (java.io.IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static boolean follows(List<String> args, String flag, String value) {
        int i = args.indexOf(flag);
        return i >= 0 && i + 1 < args.size() && args.get(i + 1).equals(value);
    }

    /** The JVM of executor {@code id} of application {@code app}, by its command line. */
    static Optional<ProcessHandle> executorProcess(String app, String id) {
        return ProcessHandle.allProcesses().filter(p -> {
            List<String> args = arguments(p);
            return args.contains("org.apache.spark.executor.CoarseGrainedExecutorBackend")
                    && follows(args, "--app-id", app) && follows(args, "--executor-id", id);
        }).findFirst();
    }
}
