package org.goctopus.ws;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;

/** Any inbound text frame: an ACK's id or nothing, never an exception. Oracle: no exception. */
class AckFrameFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void isAnIdOrNothing(@NotNull String frame) {
        PushEndpoint.ackId(frame);
    }
}
