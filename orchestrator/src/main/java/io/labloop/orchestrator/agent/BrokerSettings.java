package io.labloop.orchestrator.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How an agent or a daemon reaches the broker agents meet on.
 *
 * @param url {@code tcp://HOST:1883} or {@code ssl://HOST:8883}
 * @param username empty for an anonymous broker
 * @param password read from a file or the environment, never from the command line
 * @param ca PEM certificates to trust for the broker (empty: the JVM's trust store)
 * @param clientCertificate PEM certificate this client presents (TLS client authentication)
 * @param clientKey its PKCS#8 PEM private key
 * @param heartbeat how often an agent says it is alive; silent after three missed
 */
public record BrokerSettings(
    String url,
    Optional<String> username,
    Optional<String> password,
    Optional<Path> ca,
    Optional<Path> clientCertificate,
    Optional<Path> clientKey,
    Duration heartbeat) {

  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(2);

  public BrokerSettings {
    if (!url.startsWith("tcp://") && !url.startsWith("ssl://"))
      throw new IllegalArgumentException(
          "broker '" + url + "' must start with tcp:// or ssl:// (e.g. tcp://broker.lab:1883)");
    if (clientCertificate.isPresent() != clientKey.isPresent())
      throw new IllegalArgumentException(
          "a client certificate needs both the certificate and its key (tls cert and key)");
    if (heartbeat.isNegative() || heartbeat.isZero())
      throw new IllegalArgumentException("the heartbeat must be longer than zero");
  }

  /** A plain connection without user or TLS (tests, a broker on the loopback). */
  public static BrokerSettings plain(String url) {
    return new BrokerSettings(
        url,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        DEFAULT_HEARTBEAT);
  }

  /**
   * The daemon's settings from the lab file's {@code agents:} block ({@code broker}, {@code
   * username}, {@code password}, {@code tls: {ca, cert, key}}, {@code heartbeat}), relative paths
   * against the lab file's folder; empty when the lab has no such block.
   */
  @SuppressWarnings("unchecked")
  public static Optional<BrokerSettings> fromLab(Map<String, Object> tree, Path labDir) {
    Object block = tree.get("agents");
    if (!(block instanceof Map<?, ?> m)) return Optional.empty();
    Map<String, Object> a = (Map<String, Object>) m;
    Map<String, Object> tls =
        a.get("tls") instanceof Map<?, ?> t ? (Map<String, Object>) t : Map.of();
    return Optional.of(
        new BrokerSettings(
            String.valueOf(a.get("broker")),
            text(a.get("username")),
            text(a.get("password")),
            text(tls.get("ca")).map(labDir::resolve),
            text(tls.get("cert")).map(labDir::resolve),
            text(tls.get("key")).map(labDir::resolve),
            text(a.get("heartbeat"))
                .map(io.labloop.orchestrator.config.DurationText::parse)
                .orElse(DEFAULT_HEARTBEAT)));
  }

  private static Optional<String> text(Object o) {
    return o == null ? Optional.empty() : Optional.of(String.valueOf(o));
  }

  /** The same with another user (each agent logs in as itself). */
  public BrokerSettings withUser(Optional<String> user, Optional<String> secret) {
    return new BrokerSettings(url, user, secret, ca, clientCertificate, clientKey, heartbeat);
  }
}
