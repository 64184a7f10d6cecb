package dev.mmdgan.service.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** Retries a store operation with exponential backoff while the caller still wants it done. */
public final class Retry {

    /** One attempt. */
    public interface Attempt<T> {
        T run() throws Exception;
    }

    private final Duration firstDelay;
    private final Duration maxDelay;

    public Retry(Duration firstDelay, Duration maxDelay) {
        this.firstDelay = firstDelay;
        this.maxDelay = maxDelay;
    }

    /**
     * Runs {@code attempt} until it succeeds; {@code onFailure} hears of every failed attempt. Once
     * {@code keepTrying} says no, the last failure is thrown as an {@link UncheckedIOException}.
     */
    public <T> T until(Attempt<T> attempt, BooleanSupplier keepTrying, Consumer<Exception> onFailure) throws InterruptedException {
        Duration delay = firstDelay;
        while (true) {
            try {
                return attempt.run();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                onFailure.accept(e);
                if (!keepTrying.getAsBoolean()) {
                    throw new UncheckedIOException(new IOException("store unavailable: " + e.getMessage(), e));
                }
                Thread.sleep(delay.toMillis());
                delay = delay.multipliedBy(2).compareTo(maxDelay) > 0 ? maxDelay : delay.multipliedBy(2);
            }
        }
    }
}
