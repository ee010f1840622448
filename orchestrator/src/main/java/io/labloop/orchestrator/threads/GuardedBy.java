package io.labloop.orchestrator.threads;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Who may touch this field or call this method: a lock ({@code "this"}, a field's name) or a thread
 * ({@code "engine thread"}, {@code "scheduler thread"}). A reader's contract, not checked by the
 * compiler; write it on every piece of mutable state shared between threads.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.CONSTRUCTOR})
public @interface GuardedBy {
  /** The lock or the thread that owns it. */
  String value();
}
