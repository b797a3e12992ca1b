package org.goctopus.engine;

import java.time.Duration;

class MemoryEngineTest extends EngineContract {
    @Override
    protected Engine engine(int historySize) {
        return new MemoryEngine(historySize, Duration.ofHours(1), MAX_BYTES);
    }
}
