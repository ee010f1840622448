package io.labloop.simulators.sila2;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.InsecureServerCredentials;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.labloop.common.Threads;
import io.labloop.simulators.Endpoint;
import io.labloop.simulators.instrument.ProtocolDevice;
import io.labloop.simulators.instrument.SimulatedInstrument;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated instrument as a SiLA 2 server: gRPC over HTTP/2 on the section's {@code server}
 * address ({@code host:port}; port 0 picks a free one), with TLS and a self-signed certificate
 * (SiLA 2 requires encryption) unless the section says {@code plaintext: true}.
 *
 * <p>It serves the SiLA Service feature (server name, type, UUID, version, vendor, the implemented
 * features and their Feature Definitions) and the instrument's own feature ({@link SilaFeature},
 * {@link FeatureService}). A dropped connection is played by closing the listening server and every
 * connection on it and listening again on the same port a moment later, as a device whose network
 * went away and came back.
 *
 * <p>Discoverable, it also announces itself by SiLA Server Discovery ({@link Announcement}) until
 * it closes.
 */
public final class SilaServer implements ProtocolDevice {

  private static final Logger log = LoggerFactory.getLogger(SilaServer.class);

  static final String SILA_SERVICE = "org.silastandard/core/SiLAService/v1";
  private static final String SILA_SERVICE_NAME =
      "sila2.org.silastandard.core.silaservice.v1.SiLAService";

  private final SimulatedInstrument instrument;
  private final SilaProtocol protocol;
  private final SilaFeature feature;
  private final FeatureService featureService;
  private final @Nullable ServerCertificate certificate;
  private final String host;
  private final String serverUuid;
  private @Nullable Announcement announcement;
  private final ExecutorService restarter =
      Executors.newSingleThreadExecutor(Threads.daemon("sila2-restart"));
  private volatile String serverName;
  private int port;
  private Server server;

  private SilaServer(
      SimulatedInstrument instrument,
      Map<String, Object> section,
      String host,
      int port,
      @Nullable ServerCertificate certificate,
      @Nullable String discoverName) {
    this.instrument = instrument;
    this.protocol = SilaProtocol.load();
    this.feature = SilaFeature.of(instrument, section, protocol);
    this.featureService = new FeatureService(instrument, feature, protocol, this::dropConnections);
    this.certificate = certificate;
    this.host = host;
    this.port = port;
    String uuid = UUID.randomUUID().toString();
    String name = "LabLoop virtual " + instrument.name();
    // the lab file finds the server by name or UUID: the server is that one
    if (discoverName != null) {
      if (isUuid(discoverName)) uuid = discoverName.toLowerCase(java.util.Locale.ROOT);
      else name = discoverName;
    }
    this.serverUuid = uuid;
    this.serverName = name;
  }

  private static boolean isUuid(String s) {
    try {
      return UUID.fromString(s).toString().equalsIgnoreCase(s);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Starts the server.
   *
   * @param section the instrument's section: {@code server} ({@code host:port}), {@code feature},
   *     {@code plaintext}, {@code commands}
   * @param workDir where the certificate is kept ({@code cert/})
   */
  public static SilaServer start(
      SimulatedInstrument instrument, Map<String, Object> section, Path workDir) {
    return start(instrument, section, workDir, null);
  }

  /**
   * Starts the server, announced by SiLA Server Discovery when {@code announceOn} is given: as the
   * section's {@code discover} names it (a server name or UUID), listening on that address (port 0:
   * a free one) unless the section gives a {@code server} address, and with a certificate that
   * names that address too.
   *
   * @param announceOn the local address to announce on (mDNS), or null: not discoverable
   */
  public static SilaServer start(
      SimulatedInstrument instrument,
      Map<String, Object> section,
      Path workDir,
      @Nullable InetAddress announceOn) {
    String fallback =
        announceOn == null
            ? "127.0.0.1:0"
            : (announceOn instanceof java.net.Inet6Address
                    ? "[" + announceOn.getHostAddress() + "]"
                    : announceOn.getHostAddress())
                + ":0";
    String address = String.valueOf(section.getOrDefault("server", fallback));
    Object discover = section.get("discover");
    String discoverName = discover instanceof String d && !d.isBlank() ? d : null;
    int colon = address.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(
          "instrument '" + instrument.name() + "': server '" + address + "' is not host:port");
    }
    String host = address.substring(0, colon).replace("[", "").replace("]", "");
    int port = Integer.parseInt(address.substring(colon + 1));
    boolean plaintext = "true".equals(String.valueOf(section.get("plaintext")));
    try {
      ServerCertificate cert =
          plaintext
              ? null
              : ServerCertificate.load(
                  workDir,
                  instrument.name(),
                  announceOn == null ? List.of() : List.of(announceOn.getHostAddress()));
      SilaServer s = new SilaServer(instrument, section, host, port, cert, discoverName);
      s.listen();
      if (announceOn != null) {
        try {
          s.announcement =
              Announcement.register(
                  announceOn, s.serverUuid, s.serverName, "1.0", s.description(), s.port);
        } catch (IOException | RuntimeException e) {
          s.close();
          throw e;
        }
      }
      log.info(
          "SiLA 2 server for {} on {}:{} ({}), feature {}",
          instrument.name(),
          host,
          s.port,
          plaintext ? "plaintext" : "TLS, certificate " + cert.pem,
          s.feature.fullyQualified());
      return s;
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot start the SiLA 2 server for " + instrument.name() + " on " + address, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot make the SiLA 2 server certificate for " + instrument.name(), e);
    }
  }

  private synchronized void listen() throws IOException, GeneralSecurityException {
    ServerCredentials credentials =
        certificate == null
            ? InsecureServerCredentials.create()
            : TlsServerCredentials.newBuilder().keyManager(certificate.keyManagers()).build();
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress(host, port), credentials)
            // listening again on the same port at once, after dropping every connection
            .withOption(ChannelOption.SO_REUSEADDR, true)
            .addService(silaService())
            .addService(featureService.definition())
            .build()
            .start();
    port = server.getPort();
  }

  /** Closes every connection, then listens again on the same port. */
  private void dropConnections() {
    restarter.execute(
        () -> {
          synchronized (this) {
            log.info("{}: dropping every SiLA 2 connection", instrument.name());
            server.shutdownNow();
            try {
              server.awaitTermination(5, TimeUnit.SECONDS);
              Thread.sleep(50);
              listen();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            } catch (IOException | GeneralSecurityException e) {
              log.error("{}: cannot listen again on port {}", instrument.name(), port, e);
            }
          }
        });
  }

  /**
   * Waits until the server's discovery announcement is out (at once when it makes none).
   *
   * @return false when it did not come out within {@code patience}
   */
  public boolean awaitAnnounced(java.time.Duration patience) {
    Announcement a;
    synchronized (this) {
      a = announcement;
    }
    return a == null || a.awaitAnnounced(patience);
  }

  /** The port the server listens on. */
  public synchronized int port() {
    return port;
  }

  /** The certificate file a client trusts (PEM), or null for a plaintext server. */
  public @Nullable Path certificatePem() {
    return certificate == null ? null : certificate.pem;
  }

  @Override
  public List<Endpoint> endpoints() {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("feature", feature.fullyQualified());
    details.put("tls", certificate == null ? "off" : "on");
    if (certificate != null) details.put("certificate", certificate.pem.toString());
    return List.of(new Endpoint(instrument.name(), "sila2", host + ":" + port(), port(), details));
  }

  @Override
  public synchronized void close() {
    if (announcement != null) announcement.close();
    restarter.shutdownNow();
    featureService.close();
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- the SiLA Service feature

  private ServerServiceDefinition silaService() {
    ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(SILA_SERVICE_NAME);
    b.addMethod(
        FeatureService.method(SILA_SERVICE_NAME, "GetFeatureDefinition", MethodType.UNARY),
        ServerCalls.asyncUnaryCall(this::getFeatureDefinition));
    b.addMethod(
        FeatureService.method(SILA_SERVICE_NAME, "SetServerName", MethodType.UNARY),
        ServerCalls.asyncUnaryCall(
            (req, out) ->
                answer(
                    "SetServerName",
                    req,
                    out,
                    params -> {
                      serverName = String.valueOf(stringField(params, "ServerName"));
                      return Map.of();
                    })));
    property(b, "ServerName", () -> serverName);
    property(b, "ServerType", () -> "LabLoopVirtualInstrument");
    property(b, "ServerUUID", () -> serverUuid);
    property(b, "ServerDescription", this::description);
    property(b, "ServerVersion", () -> "1.0");
    property(b, "ServerVendorURL", () -> "https://labloop.io");
    b.addMethod(
        FeatureService.method(SILA_SERVICE_NAME, "Get_ImplementedFeatures", MethodType.UNARY),
        ServerCalls.asyncUnaryCall(
            (req, out) -> {
              Descriptor t = silaType("Get_ImplementedFeatures_Responses");
              DynamicMessage.Builder r = DynamicMessage.newBuilder(t);
              for (String f : List.of(SILA_SERVICE, feature.fullyQualified()))
                r.addRepeatedField(
                    t.findFieldByName("ImplementedFeatures"), protocol.basic("String", f));
              out.onNext(r.build().toByteArray());
              out.onCompleted();
            }));
    return b.build();
  }

  private String description() {
    return "LabLoop's virtual lab playing " + instrument.name();
  }

  private void getFeatureDefinition(byte[] request, StreamObserver<byte[]> out) {
    answer(
        "GetFeatureDefinition",
        request,
        out,
        params -> {
          String id = String.valueOf(stringField(params, "FeatureIdentifier"));
          String fdl;
          if (id.equals(feature.fullyQualified())) fdl = feature.featureDefinition();
          else if (id.equals(SILA_SERVICE)) fdl = silaServiceDefinition();
          else
            throw protocol.definedError(
                SILA_SERVICE, "UnimplementedFeature", "this server does not implement " + id);
          return Map.of("FeatureDefinition", fdl);
        });
  }

  private void property(
      ServerServiceDefinition.Builder b, String name, java.util.function.Supplier<String> value) {
    b.addMethod(
        FeatureService.method(SILA_SERVICE_NAME, "Get_" + name, MethodType.UNARY),
        ServerCalls.asyncUnaryCall(
            (req, out) -> answer("Get_" + name, req, out, params -> Map.of(name, value.get()))));
  }

  /** Parses {@code <call>_Parameters}, answers {@code <call>_Responses} of String fields. */
  private void answer(
      String call,
      byte[] request,
      StreamObserver<byte[]> out,
      Function<DynamicMessage, Map<String, String>> body) {
    try {
      DynamicMessage params = DynamicMessage.parseFrom(silaType(call + "_Parameters"), request);
      Descriptor t = silaType(call + "_Responses");
      DynamicMessage.Builder r = DynamicMessage.newBuilder(t);
      body.apply(params)
          .forEach((k, v) -> r.setField(t.findFieldByName(k), protocol.basic("String", v)));
      out.onNext(r.build().toByteArray());
      out.onCompleted();
    } catch (InvalidProtocolBufferException e) {
      out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
    } catch (RuntimeException e) {
      out.onError(e);
    }
  }

  private Object stringField(DynamicMessage params, String name) {
    Object inner = params.getField(params.getDescriptorForType().findFieldByName(name));
    return SilaProtocol.value((DynamicMessage) inner);
  }

  private Descriptor silaType(String name) {
    return protocol.silaService.findMessageTypeByName(name);
  }

  private static String silaServiceDefinition() {
    try (InputStream in = SilaServer.class.getResourceAsStream("SiLAService.sila.xml")) {
      if (in == null) throw new IllegalStateException("SiLAService.sila.xml is missing");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
