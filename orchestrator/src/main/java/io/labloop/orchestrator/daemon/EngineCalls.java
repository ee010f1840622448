package io.labloop.orchestrator.daemon;

import io.labloop.orchestrator.api.ApiProblem;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waiting for an engine's answer on an API request thread. The engine does its work on its own
 * thread and answers with a future; a request waits at most {@link #CALL_TIMEOUT} for it. What the
 * engine refuses (an {@link IllegalStateException} or {@link IllegalArgumentException}: "not
 * paused", "no such experiment") becomes a 409 conflict with the engine's own message.
 */
final class EngineCalls {
  /** How long an API request waits for an engine, a probe or a calibration. */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  private EngineCalls() {}

  static <T> T await(CompletableFuture<T> f, String what) {
    try {
      return f.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during " + what, e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          what + " did not finish within " + CALL_TIMEOUT.toSeconds() + " s", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IllegalStateException || c instanceof IllegalArgumentException) {
        throw ApiProblem.conflict(c.getMessage());
      }
      if (c instanceof RuntimeException r) throw r;
      throw new IllegalStateException(c);
    }
  }
}
