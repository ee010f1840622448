package io.labloop.simulators.mqtt;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.embedded.EmbeddedHiveMQBuilder;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MQTT 5 broker inside the virtual lab (HiveMQ CE embedded), bound to the loopback address the
 * lab file names. In-memory persistence (starts in about a second, no native libraries), anonymous
 * usage statistics off, its folders in a temporary folder under the work folder that {@link
 * #close()} removes. It is stopped explicitly: HiveMQ does not stop by itself on SIGTERM.
 *
 * <p>An {@code ssl://} address gets a TLS listener instead of a plain one, with the self-signed
 * certificate of {@link BrokerCertificate} (kept in the work folder's {@code cert/}); clients trust
 * {@link #certificate()}. Client certificates are not asked for.
 *
 * <p>With {@link Access#users() users} (the lab file's {@code simulation: broker-users}) it lets in
 * only those users with their passwords (anyone else gets CONNACK reason code 0x86 bad user name or
 * password); with {@link Access#agentAcl() agentAcl} ({@code broker-acl: agents}) each user may
 * publish and subscribe only where the site's Mosquitto list {@code config/mosquitto/acl} lets it
 * ({@link AgentAcl}): a publish elsewhere reaches nobody, and HiveMQ closes the connection with
 * DISCONNECT reason code 0x87 not authorized (Mosquitto answers PUBACK 0x87 and keeps it); a
 * subscription elsewhere gets SUBACK 0x87. Without users: anonymous, every topic.
 */
public final class EmbeddedBroker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);

  private static final String FOLDER_PREFIX = "mqtt-broker-";

  private final EmbeddedHiveMQ hivemq;
  private final Path folder;
  private final URI uri;
  private final Path certificate;

  private EmbeddedBroker(EmbeddedHiveMQ hivemq, Path folder, URI uri, Path certificate) {
    this.hivemq = hivemq;
    this.folder = folder;
    this.uri = uri;
    this.certificate = certificate;
  }

  /**
   * Who may use the broker and where.
   *
   * @param users user name to password; empty: anyone, anonymous or not, with any password
   * @param agentAcl each user only on the topics {@link AgentAcl} gives it (needs users)
   */
  public record Access(Map<String, String> users, boolean agentAcl) {
    /** Anonymous, every topic. */
    public static final Access OPEN = new Access(Map.of(), false);

    public Access {
      users = Map.copyOf(users);
      if (agentAcl && users.isEmpty()) {
        throw new IllegalArgumentException("the agents' topic rules need broker users");
      }
    }
  }

  /** {@link #start(URI, Path, Access)} open to anyone. */
  public static EmbeddedBroker start(URI address, Path workDir) {
    return start(address, workDir, Access.OPEN);
  }

  /**
   * Starts a broker at {@code address} ({@code tcp://127.0.0.1:1883}, or {@code
   * ssl://127.0.0.1:8883} for TLS; port 0 = a free port).
   *
   * @throws IllegalArgumentException when the address is not on this machine's loopback or its
   *     scheme is neither tcp nor ssl
   */
  public static EmbeddedBroker start(URI address, Path workDir, Access access) {
    String host = address.getHost() == null ? "127.0.0.1" : address.getHost();
    String scheme = address.getScheme() == null ? "tcp" : address.getScheme();
    if (!scheme.equals("tcp") && !scheme.equals("ssl")) {
      throw new IllegalArgumentException(
          "the embedded MQTT broker listens on tcp:// or ssl:// addresses, not " + address);
    }
    Path folder = null;
    try {
      InetAddress bind = InetAddress.getByName(host);
      if (!bind.isLoopbackAddress()) {
        throw new IllegalArgumentException(
            "the embedded MQTT broker binds only to a loopback address, not "
                + host
                + " (set simulation.broker: external to use the broker there)");
      }
      int port = address.getPort() <= 0 ? freePort(bind) : address.getPort();
      Files.createDirectories(workDir);
      removeAbandonedFolders(workDir);
      folder =
          Files.createTempDirectory(workDir, FOLDER_PREFIX + ProcessHandle.current().pid() + "-");
      Path conf = Files.createDirectories(folder.resolve("conf"));
      Files.createDirectories(folder.resolve("data"));
      Files.createDirectories(folder.resolve("extensions"));
      BrokerCertificate tls = scheme.equals("ssl") ? BrokerCertificate.load(workDir, host) : null;
      String listener =
          tls == null
              ? """
              <tcp-listener>
                <port>%d</port>
                <bind-address>%s</bind-address>
              </tcp-listener>
          """
                  .formatted(port, bind.getHostAddress())
              : """
              <tls-tcp-listener>
                <port>%d</port>
                <bind-address>%s</bind-address>
                <tls>
                  <keystore>
                    <path>%s</path>
                    <password>%s</password>
                    <private-key-password>%s</private-key-password>
                  </keystore>
                  <client-authentication-mode>NONE</client-authentication-mode>
                </tls>
              </tls-tcp-listener>
          """
                  .formatted(
                      port,
                      bind.getHostAddress(),
                      xml(tls.keyStore.toAbsolutePath().toString()),
                      BrokerCertificate.STORE_PASSWORD,
                      BrokerCertificate.STORE_PASSWORD);
      Files.writeString(
          conf.resolve("config.xml"),
          """
          <?xml version="1.0"?>
          <hivemq>
            <listeners>
          %s  </listeners>
            <persistence><mode>in-memory</mode></persistence>
            <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
          </hivemq>
          """
              .formatted(listener),
          StandardCharsets.UTF_8);
      EmbeddedHiveMQBuilder builder =
          EmbeddedHiveMQ.builder()
              .withConfigurationFolder(conf)
              .withDataFolder(folder.resolve("data"))
              .withExtensionsFolder(folder.resolve("extensions"))
              .withoutLoggingBootstrap();
      if (!access.users().isEmpty()) {
        builder.withEmbeddedExtension(
            EmbeddedExtension.builder()
                .withId("labloop-access")
                .withName("LabLoop broker users and agents' topic rules")
                .withVersion("1")
                .withPriority(1000)
                .withStartPriority(1000)
                .withExtensionMain(new AccessExtension(access))
                .build());
      }
      EmbeddedHiveMQ hivemq = builder.build();
      // HiveMQ starts in about a second; its first start in a JVM loads some thousand classes,
      // which on a machine whose cores are all busy (a parallel test run) took over 30 s.
      hivemq.start().get(120, TimeUnit.SECONDS);
      URI uri = URI.create(scheme + "://" + host + ":" + port);
      log.debug("embedded MQTT broker at {}", uri);
      return new EmbeddedBroker(hivemq, folder, uri, tls == null ? null : tls.pem);
    } catch (IllegalArgumentException e) {
      deleteTree(folder);
      throw e;
    } catch (Exception e) {
      deleteTree(folder);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException(
          "cannot start the embedded MQTT broker at " + address + ": " + e, e);
    }
  }

  /**
   * Removes broker folders left by a process that was killed before it could clean up. Each
   * folder's name carries its owner's pid ({@code mqtt-broker-<pid>-<random>}, made in one step, so
   * a folder being set up by a live process is never taken for abandoned).
   */
  private static void removeAbandonedFolders(Path workDir) throws IOException {
    try (Stream<Path> folders = Files.list(workDir)) {
      for (Path f :
          folders.filter(p -> p.getFileName().toString().startsWith(FOLDER_PREFIX)).toList()) {
        String[] parts = f.getFileName().toString().substring(FOLDER_PREFIX.length()).split("-", 2);
        boolean alive;
        try {
          alive =
              ProcessHandle.of(Long.parseLong(parts[0])).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
          alive = false;
        }
        if (!alive) {
          log.debug("removing abandoned broker folder {}", f);
          deleteTree(f);
        }
      }
    }
  }

  /** Checks user and password at CONNECT; with the agents' rules, authorizes each topic. */
  private record AccessExtension(Access access, Map<String, String> users)
      implements ExtensionMain {

    /** Client id to user name, of the clients let in. */
    AccessExtension(Access access) {
      this(access, new ConcurrentHashMap<>());
    }

    @Override
    public void extensionStart(ExtensionStartInput in, ExtensionStartOutput out) {
      SimpleAuthenticator authenticator = this::authenticate;
      Services.securityRegistry().setAuthenticatorProvider(input -> authenticator);
      if (access.agentAcl()) {
        TopicAuthorizer authorizer = new TopicAuthorizer(users);
        Services.securityRegistry().setAuthorizerProvider(input -> authorizer);
      }
    }

    private void authenticate(SimpleAuthInput input, SimpleAuthOutput output) {
      String user = input.getConnectPacket().getUserName().orElse(null);
      String password =
          input
              .getConnectPacket()
              .getPassword()
              .map(b -> StandardCharsets.UTF_8.decode(b.duplicate()).toString())
              .orElse(null);
      if (user == null || password == null || !password.equals(access.users().get(user))) {
        output.failAuthentication(
            ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "unknown user or wrong password");
        return;
      }
      if (access.agentAcl()) {
        users.put(input.getClientInformation().getClientId(), user);
      }
      output.authenticateSuccessfully();
    }

    @Override
    public void extensionStop(ExtensionStopInput in, ExtensionStopOutput out) {}
  }

  /**
   * {@link AgentAcl}'s rules at each PUBLISH and SUBSCRIBE (HiveMQ 2025.5 answers a refused QoS 1
   * publish of an MQTT 5 client with DISCONNECT 0x87, not PUBACK 0x87, whatever the reason code
   * given here; BrokerAccessIT accepts either). A subscription is granted only when every topic it
   * can match is readable (Mosquitto grants a wider one and delivers only what the list lets the
   * user read).
   */
  private record TopicAuthorizer(Map<String, String> users)
      implements PublishAuthorizer, SubscriptionAuthorizer {

    @Override
    public void authorizePublish(PublishAuthorizerInput input, PublishAuthorizerOutput output) {
      String user = users.get(input.getClientInformation().getClientId());
      String topic = input.getPublishPacket().getTopic();
      if (user != null && AgentAcl.allows(user, topic, true)) {
        output.authorizeSuccessfully();
      } else {
        output.failAuthorization(
            AckReasonCode.NOT_AUTHORIZED, "not authorized to publish on " + topic);
      }
    }

    @Override
    public void authorizeSubscribe(
        SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
      String user = users.get(input.getClientInformation().getClientId());
      String filter = input.getSubscription().getTopicFilter();
      if (user != null && AgentAcl.allows(user, filter, false)) {
        output.authorizeSuccessfully();
      } else {
        output.failAuthorization(
            SubackReasonCode.NOT_AUTHORIZED, "not authorized to subscribe to " + filter);
      }
    }
  }

  private static int freePort(InetAddress bind) throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, bind)) {
      return socket.getLocalPort();
    }
  }

  /** Where clients connect, with the real port. */
  public URI uri() {
    return uri;
  }

  /** For an {@code ssl://} broker, its certificate (PEM) for clients to trust. */
  public Optional<Path> certificate() {
    return Optional.ofNullable(certificate);
  }

  /** Escapes a value for the XML of config.xml (a work folder path may hold any character). */
  private static String xml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  @Override
  public void close() {
    try {
      hivemq.stop().get(30, TimeUnit.SECONDS);
      hivemq.close();
    } catch (Exception e) {
      log.warn("stopping the embedded MQTT broker: {}", e.toString());
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    } finally {
      deleteTree(folder);
    }
  }

  static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  log.debug("cannot delete {}: {}", p, e.toString());
                }
              });
    } catch (IOException e) {
      log.debug("cannot walk {}: {}", root, e.toString());
    }
  }
}
