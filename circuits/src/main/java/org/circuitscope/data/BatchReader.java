package org.circuitscope.data;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A pass over a source in batches, reading the next batch on a background thread while the caller works on this
 * one: decoding a JPEG of the ImageNet samples takes about a third of the time SqueezeNet takes to run on it, so a
 * pass that reads and runs in turn leaves the model waiting for the decoder (and the decoder for the model) on
 * every batch. One batch is read ahead, no more: memory holds two batches of images.
 *
 * <p>Only when the calling thread computes on more than one intra-op thread (libtorch's setting for it, which ONNX
 * Runtime sessions follow): a thread told to use one core, such as a Spark task given one core
 * ({@code spark.task.cpus}), reads each batch itself when it needs it, so that it keeps to the core it was given.
 *
 * <p>The source's iterator is only ever used by one thread at a time (a read starts after the previous one was
 * handed over), so sources need not be thread-safe. A read that fails (a {@link RuntimeException} or an
 * {@link Error} from the iterator) is thrown to the caller by the {@link #next} that would have returned it.
 * {@link #close()} waits for a read in flight to finish, so nothing touches the source after the pass ends.
 *
 * <pre>{@code
 * try (BatchReader r = BatchReader.ahead(source.iterator(), 32)) {
 *     for (List<Sample> batch = r.next(32); !batch.isEmpty(); batch = r.next(32)) { ... }
 * }
 * }</pre>
 */
public final class BatchReader implements AutoCloseable {
    private static final ExecutorService READERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "circuitscope-batch-reader");
        t.setDaemon(true);
        return t;
    });

    private final Iterator<Sample> it;
    private final int size;
    private final ArrayDeque<Sample> ready = new ArrayDeque<>();
    private final boolean background;
    private Future<List<Sample>> pending;
    private boolean exhausted;

    private BatchReader(Iterator<Sample> it, int size, boolean background) {
        if (size < 1) {
            throw new IllegalArgumentException("batches of " + size + " images: need at least 1");
        }
        this.it = it;
        this.size = size;
        this.background = background;
    }

    /**
     * Batches of {@code size} samples, read ahead on a background thread (starting with the first, at once) when the
     * calling thread computes on more than one intra-op thread, else read in turn.
     */
    public static BatchReader ahead(Iterator<Sample> it, int size) {
        return ahead(it, size, ai.djl.pytorch.jni.JniUtils.getNumThreads() > 1);
    }

    /** As {@link #ahead(Iterator, int)}, with the choice given: {@code background} false reads in turn. */
    public static BatchReader ahead(Iterator<Sample> it, int size, boolean background) {
        BatchReader r = new BatchReader(it, size, background);
        r.fetch();
        return r;
    }

    /** Whether batches are read on a background thread. */
    public boolean background() {
        return background;
    }

    /** Whether another sample follows (waits for the read in flight when nothing is ready). */
    public boolean hasNext() {
        fill();
        return !ready.isEmpty();
    }

    /**
     * The next up to {@code n} samples, fewer only at the end of the source; empty at the end, or when the calling
     * thread is interrupted while it waits (its interrupt flag then stays set, for the caller's cancellation check).
     */
    public List<Sample> next(int n) {
        List<Sample> out = new ArrayList<>(Math.min(n, size));
        while (out.size() < n) {
            fill();
            if (ready.isEmpty()) {
                break;
            }
            while (out.size() < n && !ready.isEmpty()) {
                out.add(ready.poll());
            }
        }
        return out;
    }

    private void fetch() {
        if (background) {
            pending = READERS.submit(() -> ImageSource.nextBatch(it, size));
        }
    }

    /** Moves the next batch into {@link #ready} when that is empty (in the background: the read in flight). */
    private void fill() {
        if (!ready.isEmpty() || exhausted) {
            return;
        }
        if (!background) {
            accept(ImageSource.nextBatch(it, size));
            return;
        }
        if (pending == null) {
            return; // closed
        }
        List<Sample> batch;
        try {
            batch = pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException e) {
            pending = null;
            exhausted = true;
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("reading a batch failed: " + e.getCause(), e.getCause());
        }
        pending = null;
        accept(batch);
    }

    private void accept(List<Sample> batch) {
        ready.addAll(batch);
        // a short batch means the iterator has run out (nextBatch reads until it does)
        if (batch.size() == size) {
            fetch();
        } else {
            exhausted = true;
        }
    }

    /** Waits for a read in flight (its samples are dropped), so the source is not read after the pass. */
    @Override
    public void close() {
        Future<List<Sample>> p = pending;
        pending = null;
        if (p == null) {
            return;
        }
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    p.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | CancellationException e) {
                    // the pass is over: a failure of a read nobody asked for is not the caller's
                    break;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
