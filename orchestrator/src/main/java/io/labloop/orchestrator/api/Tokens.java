package io.labloop.orchestrator.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The bearer tokens the daemon accepts, each under a name that the audit trail records.
 *
 * <p>Only SHA-256 digests are kept, so that a token given in plain text (the first-start token
 * file, {@code LABLOOP_TOKEN}) and one configured as a digest in {@code labloop.yaml} are checked
 * the same way. A presented token is hashed once and compared with every known digest in constant
 * time, without stopping at the first match, so that the time taken says nothing about which token
 * or how much of it was right.
 */
public final class Tokens {
  private final Map<String, byte[]> digestByName;

  private Tokens(Map<String, byte[]> digestByName) {
    this.digestByName = Map.copyOf(digestByName);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The name of the token that {@code presented} is, if any. */
  public Optional<Actor> authenticate(String presented) {
    if (presented == null || presented.isEmpty()) return Optional.empty();
    byte[] digest = sha256(presented);
    String match = null;
    for (Map.Entry<String, byte[]> e : digestByName.entrySet()) {
      if (MessageDigest.isEqual(digest, e.getValue()) && match == null) match = e.getKey();
    }
    return Optional.ofNullable(match).map(Actor::new);
  }

  public int size() {
    return digestByName.size();
  }

  /**
   * Hex SHA-256 of a token, as {@code labloop.yaml} takes it ({@code printf %s TOKEN | sha256sum}).
   */
  public static String sha256Hex(String token) {
    return HexFormat.of().formatHex(sha256(token));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** Collects named tokens; a name given twice is a configuration mistake. */
  public static final class Builder {
    private final Map<String, byte[]> digests = new LinkedHashMap<>();

    private Builder() {}

    /** A token known in plain text (the token file, the environment). */
    public Builder token(String name, String token) {
      if (token == null || token.isBlank())
        throw new IllegalArgumentException("token '" + name + "' is empty");
      return put(name, sha256(token.strip()));
    }

    /** A token known only by its hex SHA-256 (from {@code labloop.yaml}). */
    public Builder digest(String name, String sha256Hex) {
      byte[] d;
      try {
        d = HexFormat.of().parseHex(sha256Hex.strip().toLowerCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("token '" + name + "': sha256 is not hexadecimal");
      }
      if (d.length != 32)
        throw new IllegalArgumentException("token '" + name + "': sha256 must be 64 hex digits");
      return put(name, d);
    }

    private Builder put(String name, byte[] digest) {
      if (digests.putIfAbsent(name, digest) != null) {
        throw new IllegalArgumentException("token name '" + name + "' is used twice");
      }
      return this;
    }

    public Tokens build() {
      return new Tokens(digests);
    }
  }
}
