package io.labloop.orchestrator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokensTest {
  private final Tokens tokens =
      Tokens.builder()
          .token("local", "plain-token")
          .digest("alice", Tokens.sha256Hex("alices-token"))
          .build();

  @Test
  void plainAndDigestTokensAuthenticateUnderTheirNames() {
    assertEquals(Optional.of(new Actor("local")), tokens.authenticate("plain-token"));
    assertEquals(Optional.of(new Actor("alice")), tokens.authenticate("alices-token"));
    assertTrue(tokens.authenticate("alices-token ").isEmpty(), "no trimming at check time");
    assertTrue(tokens.authenticate("").isEmpty());
    assertTrue(tokens.authenticate(null).isEmpty());
    assertTrue(tokens.authenticate("plain-toke").isEmpty());
  }

  @Test
  void configurationMistakesAreCaught() {
    assertThrows(
        IllegalArgumentException.class, () -> Tokens.builder().token("a", "x").token("a", "y"));
    assertThrows(IllegalArgumentException.class, () -> Tokens.builder().digest("a", "abc"));
    assertThrows(IllegalArgumentException.class, () -> Tokens.builder().token("a", " "));
  }
}
