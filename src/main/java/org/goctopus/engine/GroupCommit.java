package org.goctopus.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;

/**
 * Requests to Redis sent as a group commit: one batch under way at a time, and the
 * requests that arrive meanwhile wait and go together in the next, as one script call.
 * Alone, a request goes at once, as it would unbatched; under load, a publish or an ACK
 * costs a share of one command, one reply and one script run instead of a whole each
 * (in Redis as in this instance), and batches grow with the load. Redis runs a script
 * whole and alone, so the requests of a batch take effect in the order they were
 * submitted, and before those of the next batch.
 *
 * <p>When Redis has answered a batch, the next one is sent first, then the requests of
 * the answered one are answered (their callers' work, such as writing HTTP responses,
 * then overlaps with Redis running the next). A request the sender's answers leave
 * unanswered gets its batch's failure. When Redis is unavailable, the requests waiting
 * are refused with the batch that found out, and a request that waited longer than
 * {@code maxWaitNanos} for its turn is refused without being sent, so that none waits
 * much longer than one command's timeout.
 */
final class GroupCommit<Q, A> {

    /** One request and what its caller waits on; the sender's answers complete {@link #answer}. */
    static final class Pending<Q, A> {
        final Q request;
        final CompletableFuture<A> answer = new CompletableFuture<>();
        private final long submittedNanos;

        private Pending(Q request, long submittedNanos) {
            this.request = request;
            this.submittedNanos = submittedNanos;
        }
    }

    private final int maxBatch;
    private final int maxWeight;
    private final ToIntFunction<Q> weight;
    private final long maxWaitNanos;
    private final LongSupplier clock;
    private final Function<List<Pending<Q, A>>, CompletionStage<Runnable>> sender;

    /** Guarded by this. */
    private final ArrayDeque<Pending<Q, A>> waiting = new ArrayDeque<>();
    /** Guarded by this: a batch is under way. */
    private boolean sending;

    /**
     * @param maxBatch     most requests in one batch
     * @param maxWeight    most weight (say, characters of values) in one batch, unless one
     *                     request alone is heavier: it then goes alone
     * @param maxWaitNanos how long a request may wait for its turn before it is refused
     * @param sender       sends a batch; its stage completes once Redis answered, with the
     *                     work that answers each request of the batch
     */
    GroupCommit(int maxBatch, int maxWeight, ToIntFunction<Q> weight, long maxWaitNanos, LongSupplier clock,
                Function<List<Pending<Q, A>>, CompletionStage<Runnable>> sender) {
        this.maxBatch = maxBatch;
        this.maxWeight = maxWeight;
        this.weight = weight;
        this.maxWaitNanos = maxWaitNanos;
        this.clock = clock;
        this.sender = sender;
    }

    CompletionStage<A> submit(Q request) {
        Pending<Q, A> pending = new Pending<>(request, clock.getAsLong());
        Turn<Q, A> turn;
        synchronized (this) {
            waiting.add(pending);
            if (sending) {
                return pending.answer;
            }
            turn = nextTurn(null);
        }
        run(turn, List.of(), null, null);
        return pending.answer;
    }

    /** The next batch to send (empty: none), and the requests refused meanwhile, with why. */
    private record Turn<Q, A>(List<Pending<Q, A>> batch, List<Pending<Q, A>> refused, Throwable why) {
    }

    /**
     * Sends the turn's batch, then answers the batch Redis just answered (none on a submit),
     * and goes on while batches complete at once (failing without reaching Redis): a loop,
     * not a recursion, as such a batch completes on this very stack.
     */
    private void run(Turn<Q, A> first, List<Pending<Q, A>> answeredBatch, Runnable answers, Throwable error) {
        Turn<Q, A> turn = first;
        List<Pending<Q, A>> done = answeredBatch;
        Runnable doneAnswers = answers;
        Throwable doneError = error;
        while (true) {
            List<Pending<Q, A>> batch = turn.batch;
            CompletableFuture<Runnable> sent = batch.isEmpty() ? null : send(batch);
            refuse(turn);
            answer(done, doneAnswers, doneError);
            if (sent == null) {
                return;
            }
            if (!sent.isDone()) {
                sent.whenComplete((a, e) -> completed(batch, a, e));
                return;
            }
            doneError = failure(sent);
            doneAnswers = doneError == null ? sent.join() : null;
            done = batch;
            synchronized (this) {
                turn = nextTurn(doneError);
            }
        }
    }

    private void completed(List<Pending<Q, A>> batch, Runnable answers, Throwable error) {
        Throwable cause = Failures.cause(error);
        Turn<Q, A> next;
        synchronized (this) {
            next = nextTurn(cause);
        }
        run(next, batch, answers, cause);
    }

    private CompletableFuture<Runnable> send(List<Pending<Q, A>> batch) {
        try {
            return sender.apply(batch).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Runs the answers (none after a failure), then gives what is left unanswered the failure. */
    private static <Q, A> void answer(List<Pending<Q, A>> batch, Runnable answers, Throwable error) {
        if (error == null && answers != null) {
            answers.run();
        }
        for (Pending<Q, A> p : batch) {
            if (!p.answer.isDone()) {
                p.answer.completeExceptionally(error != null ? error
                        : new IllegalStateException("the batch left a request unanswered"));
            }
        }
    }

    /**
     * Under the lock: after a batch failed because Redis is unavailable, every request waiting
     * is refused with it (it would go to the same Redis); the others form the next batch, but
     * those that waited too long. With nothing left to send, no batch is under way any more.
     */
    private Turn<Q, A> nextTurn(Throwable lastFailure) {
        if (lastFailure instanceof StoreUnavailableException) {
            List<Pending<Q, A>> refused = new ArrayList<>(waiting);
            waiting.clear();
            sending = false;
            return new Turn<>(List.of(), refused, lastFailure);
        }
        long now = clock.getAsLong();
        List<Pending<Q, A>> batch = new ArrayList<>(Math.min(maxBatch, waiting.size()));
        List<Pending<Q, A>> late = new ArrayList<>(0);
        int total = 0;
        Pending<Q, A> p;
        while (batch.size() < maxBatch && (p = waiting.peek()) != null) {
            if (now - p.submittedNanos > maxWaitNanos) {
                late.add(waiting.poll());
                continue;
            }
            int w = weight.applyAsInt(p.request);
            if (!batch.isEmpty() && total + w > maxWeight) {
                break;
            }
            batch.add(waiting.poll());
            total += w;
        }
        sending = !batch.isEmpty();
        return new Turn<>(batch, late, late.isEmpty() ? null : new StoreUnavailableException(
                "redis is too slow: the request waited its whole bound for its turn", null));
    }

    private static <Q, A> void refuse(Turn<Q, A> turn) {
        for (Pending<Q, A> p : turn.refused) {
            p.answer.completeExceptionally(turn.why);
        }
    }

    private static Throwable failure(CompletableFuture<?> done) {
        if (!done.isCompletedExceptionally()) {
            return null;
        }
        try {
            done.join();
            return null;
        } catch (CompletionException | CancellationException e) {
            return Failures.cause(e);
        }
    }
}
