package io.labloop.orchestrator.store;

/** The store could not be read or written; nothing of the failed call was kept. */
public final class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
