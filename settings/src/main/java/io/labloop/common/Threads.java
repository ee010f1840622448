package io.labloop.common;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread factories for LabLoop's executors. Every thread is a daemon thread (a forgotten executor
 * never keeps the JVM alive: closing is the owner's job, and the owners do close) and has a name
 * that says whose it is in a thread dump ({@code serial-uvvis}, {@code opcua-connect
 * opc.tcp://...}).
 */
public final class Threads {

  private Threads() {}

  /** Every thread gets the same name: for single-thread executors. */
  public static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Threads named {@code prefix-1}, {@code prefix-2}, ...: for pools. */
  public static ThreadFactory numbered(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
