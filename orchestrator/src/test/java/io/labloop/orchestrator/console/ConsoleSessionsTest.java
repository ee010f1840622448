package io.labloop.orchestrator.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.orchestrator.api.Actor;
import io.labloop.orchestrator.api.ApiProblem;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConsoleSessionsTest {
  private final AtomicLong now = new AtomicLong();
  private final ConsoleSessions sessions =
      new ConsoleSessions(
          t -> t.equals("right") ? Optional.of(new Actor("alice")) : Optional.empty(), now::get);

  @Test
  void theRightTokenGivesASessionWithItsOwnCsrfToken() {
    ConsoleSessions.Session s = sessions.signIn("right", "10.0.0.5");
    assertEquals("alice", s.actor().name());
    assertNotEquals(s.id(), s.csrf(), "the cookie and the CSRF token are different secrets");
    assertTrue(s.id().length() >= 43, "256 random bits");
    assertEquals(s, sessions.find(s.id()).orElseThrow());
    assertTrue(ConsoleSessions.csrfMatches(s, s.csrf()));
    assertFalse(ConsoleSessions.csrfMatches(s, null));
    assertFalse(ConsoleSessions.csrfMatches(s, s.id()));
  }

  @Test
  void aWrongTokenIsRefusedWithAClearMessageAndAfterFiveTheAddressWaits() {
    ApiProblem wrong = assertThrows(ApiProblem.class, () -> sessions.signIn("guess", "10.0.0.5"));
    assertEquals(401, wrong.status());
    assertTrue(wrong.getMessage().contains("not known to this daemon"), wrong.getMessage());
    for (int i = 0; i < 4; i++)
      assertThrows(ApiProblem.class, () -> sessions.signIn("guess", "10.0.0.5"));
    ConsoleSessions.TooManyAttempts limited =
        assertThrows(
            ConsoleSessions.TooManyAttempts.class, () -> sessions.signIn("right", "10.0.0.5"));
    assertTrue(limited.waitSeconds > 0 && limited.waitSeconds <= 61, "wait " + limited.waitSeconds);
    assertEquals(429, limited.problem().status());
    assertEquals(
        "alice",
        sessions.signIn("right", "10.0.0.6").actor().name(),
        "another address is not affected");
    now.addAndGet(ConsoleSessions.WINDOW.toNanos() + 1);
    assertEquals(
        "alice",
        sessions.signIn("right", "10.0.0.5").actor().name(),
        "after the window the address may try again");
  }

  @Test
  void signOutAndAgeEndASession() {
    ConsoleSessions.Session a = sessions.signIn("right", "127.0.0.1");
    sessions.signOut(a.id());
    assertTrue(sessions.find(a.id()).isEmpty());
    ConsoleSessions.Session b = sessions.signIn("right", "127.0.0.1");
    now.addAndGet(ConsoleSessions.LIFETIME.toNanos() + 1);
    assertTrue(sessions.find(b.id()).isEmpty(), "sessions end after their lifetime");
  }
}
