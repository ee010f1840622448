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
  private final String serverUuid = UUID.randomUUID().toString();
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
      @Nullable ServerCertificate certificate) {
    this.instrument = instrument;
    this.protocol = SilaProtocol.load();
    this.feature = SilaFeature.of(instrument, section, protocol);
    this.featureService = new FeatureService(instrument, feature, protocol, this::dropConnections);
    this.certificate = certificate;
    this.host = host;
    this.port = port;
    this.serverName = "LabLoop virtual " + instrument.name();
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
    String address = String.valueOf(section.getOrDefault("server", "127.0.0.1:0"));
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
          plaintext ? null : ServerCertificate.load(workDir, instrument.name());
      SilaServer s = new SilaServer(instrument, section, host, port, cert);
      s.listen();
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
    property(b, "ServerDescription", () -> "LabLoop's virtual lab playing " + instrument.name());
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
