package io.labloop.drivers.sila2;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One gRPC channel to a SiLA 2 server, with what every call needs: the SiLA framework's descriptors
 * (compiled from {@code proto/sila2} into a descriptor set at build time), the SiLA Service feature
 * (built, like any other feature, from its Feature Definition, which the driver carries), unary and
 * server-streaming calls of raw bytes whose messages the caller builds from descriptors, and the
 * discovery of the server's features through SiLA Service.
 *
 * <p>TLS by default, the server certificate checked by {@link ServerTrust}; plaintext only when the
 * lab file asks. gRPC reconnects by itself; after a lost connection the reconnect back-off is reset
 * so that the next command tries at once.
 */
final class SilaConnection implements AutoCloseable {

  static final String SILA_SERVICE = "org.silastandard/core/SiLAService/v1";

  /** Framework and SiLA Service descriptors: read once, shared by every connection. */
  record Protocol(
      FileDescriptor framework, FeatureDefinition silaServiceFdl, FileDescriptor silaService) {
    static Protocol load() {
      try (InputStream in = SilaConnection.class.getResourceAsStream("sila2.binpb");
          InputStream fdl = SilaConnection.class.getResourceAsStream("SiLAService.sila.xml")) {
        if (in == null || fdl == null)
          throw new IllegalStateException("the SiLA 2 protocol files are missing from the build");
        FileDescriptorProto frameworkProto = null;
        for (FileDescriptorProto f : FileDescriptorSet.parseFrom(in).getFileList())
          if (f.getName().equals("SiLAFramework.proto")) frameworkProto = f;
        FileDescriptor framework = FileDescriptor.buildFrom(frameworkProto, new FileDescriptor[0]);
        FeatureDefinition service =
            FeatureDefinition.parse(new String(fdl.readAllBytes(), StandardCharsets.UTF_8));
        return new Protocol(framework, service, FeatureDescriptors.build(service, framework));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (DescriptorValidationException e) {
        throw new IllegalStateException("the SiLA framework protocol file does not build", e);
      }
    }
  }

  /** A feature of the server: its definition and its descriptors. */
  record Feature(FeatureDefinition definition, FileDescriptor descriptor) {
    Descriptor message(String name) {
      return FeatureDescriptors.message(descriptor, name);
    }
  }

  /** The server's name and UUID, as its SiLA Service tells them. */
  record Identity(String name, String uuid) {}

  private final Protocol protocol;
  private final ManagedChannel channel;
  private final String address;

  /**
   * @param trust the server certificates trusted, or null for plaintext
   */
  SilaConnection(String host, int port, @Nullable ServerTrust trust, Protocol protocol) {
    this.protocol = protocol;
    this.address = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    ChannelCredentials credentials =
        trust == null
            ? InsecureChannelCredentials.create()
            : TlsChannelCredentials.newBuilder().trustManager(trust).build();
    this.channel = Grpc.newChannelBuilderForAddress(host, port, credentials).build();
  }

  Protocol protocol() {
    return protocol;
  }

  /** host:port connected to. */
  String address() {
    return address;
  }

  /** Ends waiting out the reconnect back-off: the server may be back already. */
  void reconnectSoon() {
    channel.resetConnectBackoff();
  }

  /**
   * Completes when a call made now would meet a fresh connection attempt rather than the last
   * failure: after a failed connection gRPC fails calls at once with the old error until its
   * back-off has passed, so this resets the back-off and waits (at most {@code patience}) for the
   * next attempt to end, whichever way. An attempt already under way when this is called may have
   * checked the server's certificate before an engineer moved it into trust, so if that one fails,
   * one more attempt is made and waited for.
   */
  CompletableFuture<Void> ready(java.time.Duration patience) {
    CompletableFuture<Void> ready = new CompletableFuture<>();
    ConnectivityState now = channel.getState(true);
    if (now == ConnectivityState.READY || now == ConnectivityState.IDLE) {
      ready.complete(null);
      return ready;
    }
    if (now == ConnectivityState.TRANSIENT_FAILURE) channel.resetConnectBackoff();
    awaitChange(now, ready, now == ConnectivityState.CONNECTING);
    return ready.completeOnTimeout(null, patience.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * @param stale the attempt now under way started before the caller asked: its failure does not
   *     count, a fresh attempt is waited for instead
   */
  private void awaitChange(ConnectivityState from, CompletableFuture<Void> ready, boolean stale) {
    channel.notifyWhenStateChanged(
        from,
        () -> {
          ConnectivityState next = channel.getState(false);
          if (next == ConnectivityState.CONNECTING) {
            awaitChange(next, ready, stale);
          } else if (stale && next == ConnectivityState.TRANSIENT_FAILURE) {
            channel.resetConnectBackoff();
            awaitChange(next, ready, false);
          } else {
            ready.complete(null);
          }
        });
  }

  /** Every feature the server implements besides SiLA Service, with its definition. */
  CompletableFuture<List<Feature>> features() {
    Descriptor getFeatures =
        protocol.silaService.findMessageTypeByName("Get_ImplementedFeatures_Parameters");
    return unary(
            protocol.silaServiceFdl.serviceName(),
            "Get_ImplementedFeatures",
            DynamicMessage.getDefaultInstance(getFeatures).toByteArray())
        .thenCompose(
            bytes -> {
              Descriptor t =
                  protocol.silaService.findMessageTypeByName("Get_ImplementedFeatures_Responses");
              Object ids =
                  SilaValues.get(parse(t, bytes), t.findFieldByName("ImplementedFeatures"));
              List<CompletableFuture<Feature>> all = new ArrayList<>();
              for (Object id : (List<?>) ids)
                if (!SILA_SERVICE.equals(id)) all.add(feature(String.valueOf(id)));
              return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                  .thenApply(v -> all.stream().map(CompletableFuture::join).toList());
            });
  }

  /** The server's name and UUID (SiLA Service properties ServerName and ServerUUID). */
  CompletableFuture<Identity> identity() {
    return serviceProperty("ServerName").thenCombine(serviceProperty("ServerUUID"), Identity::new);
  }

  private CompletableFuture<String> serviceProperty(String name) {
    Descriptor p = protocol.silaService.findMessageTypeByName("Get_" + name + "_Parameters");
    return unary(
            protocol.silaServiceFdl.serviceName(),
            "Get_" + name,
            DynamicMessage.getDefaultInstance(p).toByteArray())
        .thenApply(
            bytes -> {
              Descriptor r =
                  protocol.silaService.findMessageTypeByName("Get_" + name + "_Responses");
              return String.valueOf(SilaValues.get(parse(r, bytes), r.findFieldByName(name)));
            });
  }

  private CompletableFuture<Feature> feature(String id) {
    Descriptor p = protocol.silaService.findMessageTypeByName("GetFeatureDefinition_Parameters");
    DynamicMessage.Builder params = DynamicMessage.newBuilder(p);
    SilaValues.set(params, p.findFieldByName("FeatureIdentifier"), id);
    return unary(
            protocol.silaServiceFdl.serviceName(),
            "GetFeatureDefinition",
            params.build().toByteArray())
        .thenApply(
            bytes -> {
              Descriptor r =
                  protocol.silaService.findMessageTypeByName("GetFeatureDefinition_Responses");
              String xml =
                  String.valueOf(
                      SilaValues.get(parse(r, bytes), r.findFieldByName("FeatureDefinition")));
              FeatureDefinition def = FeatureDefinition.parse(xml);
              return new Feature(def, FeatureDescriptors.build(def, protocol.framework));
            });
  }

  /** Parses a reply; bytes that are not the message are a bad reply, not a crash. */
  static DynamicMessage parse(Descriptor type, byte[] bytes) {
    try {
      return DynamicMessage.parseFrom(type, bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedReply(
          "the server's " + type.getName() + " does not parse (" + e.getMessage() + ")");
    }
  }

  /** A reply whose bytes are not the message the feature definition promises. */
  static final class MalformedReply extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedReply(String message) {
      super(message);
    }
  }

  CompletableFuture<byte[]> unary(String service, String method, byte[] request) {
    ClientCall<byte[], byte[]> call =
        channel.newCall(
            method(service, method, MethodDescriptor.MethodType.UNARY), CallOptions.DEFAULT);
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    ClientCalls.asyncUnaryCall(
        call,
        request,
        new StreamObserver<>() {
          private byte[] reply;

          @Override
          public void onNext(byte[] value) {
            reply = value;
          }

          @Override
          public void onError(Throwable t) {
            result.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            if (reply == null)
              result.completeExceptionally(
                  Status.INTERNAL
                      .withDescription("the server completed the call without a reply")
                      .asRuntimeException());
            else result.complete(reply);
          }
        });
    result.whenComplete(
        (r, failure) -> {
          if (failure != null) call.cancel("the driver stopped waiting", null);
        });
    return result;
  }

  /**
   * A server-streaming call: {@code each} gets every message; the returned future completes when
   * the stream ends (or fails), and cancelling it (completing it) ends the call.
   */
  CompletableFuture<Void> stream(
      String service, String method, byte[] request, Consumer<byte[]> each) {
    ClientCall<byte[], byte[]> call =
        channel.newCall(
            method(service, method, MethodDescriptor.MethodType.SERVER_STREAMING),
            CallOptions.DEFAULT);
    CompletableFuture<Void> done = new CompletableFuture<>();
    ClientCalls.asyncServerStreamingCall(
        call,
        request,
        new StreamObserver<>() {
          @Override
          public void onNext(byte[] value) {
            try {
              each.accept(value);
            } catch (RuntimeException e) {
              done.completeExceptionally(e);
            }
          }

          @Override
          public void onError(Throwable t) {
            done.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            done.complete(null);
          }
        });
    done.whenComplete((v, failure) -> call.cancel("the driver has what it waited for", null));
    return done;
  }

  private static MethodDescriptor<byte[], byte[]> method(
      String service, String name, MethodDescriptor.MethodType type) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(type)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(service, name))
        .setRequestMarshaller(BYTES)
        .setResponseMarshaller(BYTES)
        .build();
  }

  /** The value of field {@code name} of a framework message such as CommandExecutionUUID. */
  static Object field(DynamicMessage m, String name) {
    FieldDescriptor f = m.getDescriptorForType().findFieldByName(name);
    return m.getField(f);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new StatusRuntimeException(Status.INTERNAL.withDescription(e.getMessage()));
          }
        }
      };
}
