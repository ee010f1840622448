package io.labloop.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class CommonTest {

  @Test
  void theRootMessageIsTheInnermostCausesOrItsClassWithoutOne() {
    Exception wrapped =
        new CompletionException(
            new UncheckedIOException("reading", new ConnectException("Connection refused")));
    assertEquals("Connection refused", Errors.rootMessage(wrapped));
    assertEquals(
        "java.io.IOException",
        Errors.rootMessage(new RuntimeException("outer", new IOException())));
  }

  @Test
  void aSafeFileNameHasNoSeparatorsOrSpaces() {
    assertEquals("run_1_.._etc_passwd", FileNames.safe("run 1/../etc/passwd"));
    assertEquals("uv-vis_2.csv", FileNames.safe("uv-vis_2.csv"));
  }

  @Test
  void threadsAreNamedDaemons() {
    Thread t = Threads.numbered("driver-timer").newThread(() -> {});
    assertEquals("driver-timer-1", t.getName());
    assertTrue(t.isDaemon());
    assertEquals("serial-uvvis", Threads.daemon("serial-uvvis").newThread(() -> {}).getName());
  }
}
