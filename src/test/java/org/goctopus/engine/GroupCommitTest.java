package org.goctopus.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The group commit in front of Redis, with a sender this test answers by hand: what goes in
 * which batch, in what order, and how failures and slowness are answered.
 */
class GroupCommitTest {

    private static final long MAX_WAIT = 2_000;

    /** The batches sent, each with the stage the test completes as Redis would. */
    private final List<List<String>> sent = new ArrayList<>();
    private final List<CompletableFuture<Runnable>> replies = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private final AtomicLong now = new AtomicLong();

    private GroupCommit<String, String> commit(int maxBatch, int maxWeight) {
        return new GroupCommit<>(maxBatch, maxWeight, String::length, MAX_WAIT, now::get, batch -> {
            List<String> requests = batch.stream().map(p -> p.request).toList();
            sent.add(requests);
            events.add("sent " + requests);
            CompletableFuture<Runnable> reply = new CompletableFuture<>();
            replies.add(reply);
            return reply.thenApply(ignored -> () -> {
                events.add("answered " + requests);
                batch.forEach(p -> p.answer.complete(p.request + " stored"));
            });
        });
    }

    private void answerBatch(int i) {
        replies.get(i).complete(null);
    }

    private static String outcome(CompletionStage<String> stage) {
        CompletableFuture<String> f = stage.toCompletableFuture();
        assertTrue(f.isDone(), "answered");
        try {
            return f.join();
        } catch (CompletionException e) {
            return e.getCause().getClass().getSimpleName();
        }
    }

    @Test
    void aRequestAloneGoesAtOnce() {
        GroupCommit<String, String> commit = commit(64, 1000);
        CompletionStage<String> a = commit.submit("a");
        assertEquals(List.of(List.of("a")), sent);
        answerBatch(0);
        assertEquals("a stored", outcome(a));
    }

    @Test
    void theRequestsThatArriveWhileABatchIsUnderWayGoTogetherInTheNextInTheirOrder() {
        GroupCommit<String, String> commit = commit(64, 1000);
        CompletionStage<String> a = commit.submit("a");
        CompletionStage<String> b = commit.submit("b");
        CompletionStage<String> c = commit.submit("c");
        assertEquals(List.of(List.of("a")), sent, "nothing more while the first batch is under way");
        answerBatch(0);
        assertEquals(List.of(List.of("a"), List.of("b", "c")), sent);
        assertEquals("a stored", outcome(a));
        assertEquals(List.of("sent [a]", "sent [b, c]", "answered [a]"), events,
                "the next batch goes before the last one's answers are run");
        answerBatch(1);
        assertEquals("b stored", outcome(b));
        assertEquals("c stored", outcome(c));
        commit.submit("d");
        assertEquals(List.of("d"), sent.get(2), "idle again: the next request goes at once");
    }

    @Test
    void aBatchHoldsAtMostMaxBatchRequestsAndMaxWeightUnlessOneAloneIsHeavier() {
        GroupCommit<String, String> commit = commit(3, 10);
        commit.submit("first");
        for (String r : List.of("1", "2", "3", "4", "aaaaaaaaa", "bbbbbbbbbbbbbbbbbbbb", "5")) {
            commit.submit(r);
        }
        for (int i = 0; i < 4; i++) {
            answerBatch(i);
        }
        assertEquals(List.of(List.of("first"), List.of("1", "2", "3"), List.of("4", "aaaaaaaaa"),
                List.of("bbbbbbbbbbbbbbbbbbbb"), List.of("5")), sent);
    }

    @Test
    void whenRedisIsUnavailableTheWaitingRequestsAreRefusedWithTheBatchThatFoundOut() {
        GroupCommit<String, String> commit = commit(64, 1000);
        CompletionStage<String> a = commit.submit("a");
        CompletionStage<String> b = commit.submit("b");
        replies.get(0).completeExceptionally(new StoreUnavailableException("down", null));
        assertEquals("StoreUnavailableException", outcome(a));
        assertEquals("StoreUnavailableException", outcome(b));
        assertEquals(1, sent.size(), "b was never sent to the Redis that did not answer");
        commit.submit("c");
        assertEquals(List.of("c"), sent.get(1), "the next request tries again");
    }

    @Test
    void aRequestThatWaitedLongerThanTheBoundForItsTurnIsRefusedWithoutBeingSent() {
        GroupCommit<String, String> commit = commit(64, 1000);
        commit.submit("a");
        CompletionStage<String> late = commit.submit("late");
        now.addAndGet(MAX_WAIT - 1);
        CompletionStage<String> recent = commit.submit("recent");
        now.addAndGet(2);
        answerBatch(0);
        assertEquals("StoreUnavailableException", outcome(late));
        assertEquals(List.of("recent"), sent.get(1));
    }

    @Test
    void aRequestTheAnswersLeaveUnansweredGetsAnError() {
        CompletableFuture<Runnable> slow = new CompletableFuture<>();
        GroupCommit<String, String> commit = new GroupCommit<>(64, 1000, String::length, MAX_WAIT, now::get,
                batch -> slow.thenApply(ignored -> () -> batch.get(0).answer.complete("first only")));
        commit.submit("x");
        CompletionStage<String> b = commit.submit("b");
        CompletionStage<String> c = commit.submit("c");
        slow.complete(null);
        assertEquals("first only", outcome(b));
        assertEquals("IllegalStateException", outcome(c));
    }

    @Test
    void batchesThatFailAtOnceAreTakenInALoopNotARecursion() {
        CompletableFuture<Runnable> first = new CompletableFuture<>();
        AtomicLong calls = new AtomicLong();
        GroupCommit<String, String> commit = new GroupCommit<>(1, 1000, String::length, MAX_WAIT, now::get,
                batch -> calls.incrementAndGet() == 1 ? first
                        : CompletableFuture.failedFuture(new IllegalStateException("refused")));
        commit.submit("a");
        List<CompletionStage<String>> waiting = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            waiting.add(commit.submit("r" + i));
        }
        first.completeExceptionally(new IllegalStateException("refused"));
        assertEquals(100_001, calls.get(), "each waiting request sent in its own batch, without a stack overflow");
        waiting.forEach(w -> assertEquals("IllegalStateException", outcome(w)));
    }
}
