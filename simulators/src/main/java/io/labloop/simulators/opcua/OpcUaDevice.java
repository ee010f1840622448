package io.labloop.simulators.opcua;

import static org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS;
import static org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig.USER_TOKEN_POLICY_USERNAME;

import io.labloop.common.Errors;
import io.labloop.simulators.Endpoint;
import io.labloop.simulators.instrument.ProtocolDevice;
import io.labloop.simulators.instrument.SimulatedInstrument;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.IdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.UsernameIdentityValidator;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OPC UA server playing the instruments that share one endpoint in the lab file.
 *
 * <p>Security follows the instruments' {@code security} sections: policy None gives one None
 * endpoint; each other policy named there (Basic256Sha256, Aes128_Sha256_RsaOaep) gives two
 * endpoints, Sign and SignAndEncrypt, as real servers offer them, plus a None endpoint at {@code
 * <path>/discovery} for GetEndpoints only. With a {@code username}/{@code password}, only that user
 * may open a session (the password is checked, never logged); without, anonymous sessions are
 * allowed. Client certificates: see {@link ServerCertificates}.
 */
public final class OpcUaDevice implements ProtocolDevice {

  private static final Logger log = LoggerFactory.getLogger(OpcUaDevice.class);

  /** The security policies the virtual lab's server offers, by the names the lab file uses. */
  static final Map<String, SecurityPolicy> POLICIES =
      Map.of(
          "None", SecurityPolicy.None,
          "Basic256Sha256", SecurityPolicy.Basic256Sha256,
          "Aes128_Sha256_RsaOaep", SecurityPolicy.Aes128_Sha256_RsaOaep);

  private final OpcUaServer server;
  private final InstrumentNamespace namespace;
  private final LadsNamespace lads;
  private final List<Endpoint> endpoints;
  private final ServerCertificates certificates;

  private OpcUaDevice(
      OpcUaServer server,
      InstrumentNamespace namespace,
      LadsNamespace lads,
      List<Endpoint> endpoints,
      ServerCertificates certificates) {
    this.server = server;
    this.namespace = namespace;
    this.lads = lads;
    this.endpoints = endpoints;
    this.certificates = certificates;
  }

  /**
   * Starts a server at {@code endpoint} (port 0: a free port).
   *
   * @param sections each instrument's section of the lab file
   * @param pkiDir where the server certificate (and, with {@code trustListOnly}, the trust list) is
   *     kept
   * @param trustListOnly accept only client certificates in {@code pkiDir/trusted/certs} (else
   *     every one)
   */
  public static OpcUaDevice start(
      URI endpoint,
      List<SimulatedInstrument> instruments,
      Map<String, Map<String, Object>> sections,
      Path pkiDir,
      boolean trustListOnly) {
    String host = endpoint.getHost() == null ? "127.0.0.1" : endpoint.getHost();
    String path =
        endpoint.getPath() == null || endpoint.getPath().isEmpty() ? "/" : endpoint.getPath();
    Set<String> policies = new LinkedHashSet<>();
    Map<String, String> users = new LinkedHashMap<>();
    for (Map<String, Object> section : sections.values()) {
      if (section.get("security") instanceof Map<?, ?> security) {
        if (security.get("policy") != null
            && !"None".equals(String.valueOf(security.get("policy")))) {
          policies.add(String.valueOf(security.get("policy")));
        }
        if (security.get("username") != null) {
          users.put(
              String.valueOf(security.get("username")), String.valueOf(security.get("password")));
        }
      }
    }
    for (String policy : policies) {
      if (!POLICIES.containsKey(policy)) {
        throw new IllegalArgumentException(
            "the virtual lab's OPC UA server offers security "
                + new java.util.TreeSet<>(POLICIES.keySet())
                + ", not "
                + policy);
      }
    }
    OpcUaServer server = null;
    ServerCertificates certificates = null;
    try {
      int port = endpoint.getPort() <= 0 ? freePort(host) : endpoint.getPort();
      certificates = ServerCertificates.load(pkiDir, host, trustListOnly);

      EndpointConfig.Builder base =
          EndpointConfig.newBuilder()
              .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
              .setBindAddress(host)
              .setHostname(host)
              .setBindPort(port)
              .setPath(path)
              .setCertificate(certificates.certificate)
              .addTokenPolicies(
                  users.isEmpty() ? USER_TOKEN_POLICY_ANONYMOUS : USER_TOKEN_POLICY_USERNAME);
      Set<EndpointConfig> configs = new LinkedHashSet<>();
      if (policies.isEmpty()) {
        configs.add(
            base.copy()
                .setSecurityPolicy(SecurityPolicy.None)
                .setSecurityMode(MessageSecurityMode.None)
                .build());
      } else {
        for (String policy : policies) {
          for (MessageSecurityMode mode :
              List.of(MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt)) {
            configs.add(
                base.copy().setSecurityPolicy(POLICIES.get(policy)).setSecurityMode(mode).build());
          }
        }
        configs.add(
            base.copy()
                .setPath(path.endsWith("/") ? path + "discovery" : path + "/discovery")
                .setSecurityPolicy(SecurityPolicy.None)
                .setSecurityMode(MessageSecurityMode.None)
                .build());
      }

      IdentityValidator identities =
          users.isEmpty()
              ? AnonymousIdentityValidator.INSTANCE
              : new UsernameIdentityValidator(
                  challenge ->
                      challenge.getPassword() != null
                          && challenge.getPassword().equals(users.get(challenge.getUsername())));

      OpcUaServerConfig config =
          OpcUaServerConfig.builder()
              .setApplicationUri(ServerCertificates.APPLICATION_URI)
              .setApplicationName(LocalizedText.english("LabLoop virtual lab"))
              .setProductUri("urn:labloop:virtual-lab")
              .setEndpoints(configs)
              .setCertificateManager(certificates.manager)
              .setIdentityValidator(identities)
              .build();
      server =
          new OpcUaServer(
              config,
              profile ->
                  new OpcTcpServerTransport(OpcTcpServerTransportConfig.newBuilder().build()));
      // driver: lads instruments are LADS devices on the same server; the others plain objects
      List<SimulatedInstrument> plain = new ArrayList<>();
      List<SimulatedInstrument> ladsDevices = new ArrayList<>();
      for (SimulatedInstrument i : instruments) {
        (LadsNamespace.isLads(sections.get(i.name())) ? ladsDevices : plain).add(i);
      }
      InstrumentNamespace namespace = new InstrumentNamespace(server, plain, sections);
      namespace.startup();
      LadsNamespace lads = new LadsNamespace(server, ladsDevices, sections);
      lads.startup();
      server.startup().get(20, TimeUnit.SECONDS);

      String url = "opc.tcp://" + host + ":" + port + path;
      List<Endpoint> endpoints = new ArrayList<>();
      for (SimulatedInstrument i : instruments) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put(
            "security",
            policies.isEmpty() ? "None" : String.join(",", policies) + "/Sign,SignAndEncrypt");
        if (certificates.trustedClients != null) {
          details.put("trusted-clients", certificates.trustedClients.toString());
        }
        NodeId object =
            namespace.objects().containsKey(i.name())
                ? namespace.objects().get(i.name())
                : lads.devices().get(i.name());
        details.put("object", object.toParseableString());
        if (!users.isEmpty()) {
          details.put("users", String.join(",", users.keySet()));
        }
        endpoints.add(
            new Endpoint(
                i.name(),
                lads.devices().containsKey(i.name()) ? "lads" : "opcua",
                url,
                port,
                details));
      }
      return new OpcUaDevice(server, namespace, lads, endpoints, certificates);
    } catch (IllegalArgumentException e) {
      stopQuietly(server);
      closeQuietly(certificates);
      throw e;
    } catch (Exception e) {
      stopQuietly(server);
      closeQuietly(certificates);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException(
          "cannot start the OPC UA server at " + endpoint + ": " + Errors.rootMessage(e), e);
    }
  }

  /** A port free right now on {@code host}. */
  static int freePort(String host) throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return socket.getLocalPort();
    }
  }

  private static void stopQuietly(OpcUaServer server) {
    if (server != null) {
      try {
        server.shutdown().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.debug("OPC UA server shutdown: {}", e.toString());
      }
    }
  }

  private static void closeQuietly(ServerCertificates certificates) {
    if (certificates != null) {
      try {
        certificates.close();
      } catch (IOException e) {
        log.debug("trust list close: {}", e.toString());
      }
    }
  }

  @Override
  public List<Endpoint> endpoints() {
    return endpoints;
  }

  @Override
  public void close() {
    try {
      namespace.shutdown();
      lads.shutdown();
    } catch (RuntimeException e) {
      log.debug("namespace shutdown: {}", e.toString());
    }
    stopQuietly(server);
    closeQuietly(certificates);
  }
}
