package io.labloop.simulators.sila2;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.labloop.common.Threads;
import io.labloop.simulators.faults.Fault;
import io.labloop.simulators.instrument.Outcome;
import io.labloop.simulators.instrument.SimulatedInstrument;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC service of an instrument's feature: its commands and its observable properties.
 *
 * <p>An unobservable command runs while the call waits and answers with its responses. An
 * observable command answers at once with a command execution UUID and runs on a worker; {@code
 * X_Info} streams its ExecutionInfo (running, with a progress that creeps towards 90 % every 100
 * ms, then finished successfully or with an error) and {@code X_Result} gives its responses or its
 * error. Each property streams its current value, then every change ({@code Subscribe_X}).
 *
 * <p>Faults, as the other virtual instruments have them: a refusal is a defined execution error
 * ({@code Refused}); a timeout never finishes (the instrument hangs); garbage answers with bytes
 * that no protobuf message parses; a dropped connection and a restart close every client connection
 * (the server stops listening and listens again on the same port), and the execution that met them
 * ends with UNAVAILABLE, as lost with the connection.
 */
final class FeatureService {

  private static final Logger log = LoggerFactory.getLogger(FeatureService.class);
  private static final long HANG_MILLIS = TimeUnit.MINUTES.toMillis(10);

  /** A command execution of an observable command. */
  private static final class Execution {
    final SilaFeature.Command command;
    final long startedNanos = System.nanoTime();
    final CompletableFuture<Object> done = new CompletableFuture<>();

    Execution(SilaFeature.Command command) {
      this.command = command;
    }
  }

  private final SimulatedInstrument instrument;
  private final SilaFeature feature;
  private final SilaProtocol protocol;
  private final Runnable dropConnections;
  private final Map<String, Execution> executions = new ConcurrentHashMap<>();
  private final List<BiConsumer<String, Object>> subscribers = new CopyOnWriteArrayList<>();
  private final ExecutorService workers =
      Executors.newCachedThreadPool(Threads.daemon("sila2-command"));
  private final ScheduledExecutorService ticks =
      Executors.newSingleThreadScheduledExecutor(Threads.daemon("sila2-progress"));
  private final Random garbage = new Random(7);

  FeatureService(
      SimulatedInstrument instrument,
      SilaFeature feature,
      SilaProtocol protocol,
      Runnable dropConnections) {
    this.instrument = instrument;
    this.feature = feature;
    this.protocol = protocol;
    this.dropConnections = dropConnections;
    instrument.onVariableChange((name, value) -> subscribers.forEach(s -> s.accept(name, value)));
  }

  ServerServiceDefinition definition() {
    String service = feature.serviceName();
    ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(service);
    for (SilaFeature.Command c : feature.commands) {
      if (!c.observable()) {
        b.addMethod(
            method(service, c.identifier(), MethodDescriptor.MethodType.UNARY),
            ServerCalls.asyncUnaryCall((req, out) -> unobservable(c, req, out)));
        continue;
      }
      b.addMethod(
          method(service, c.identifier(), MethodDescriptor.MethodType.UNARY),
          ServerCalls.asyncUnaryCall((req, out) -> start(c, req, out)));
      b.addMethod(
          method(service, c.identifier() + "_Info", MethodDescriptor.MethodType.SERVER_STREAMING),
          ServerCalls.asyncServerStreamingCall((req, out) -> info(req, out)));
      b.addMethod(
          method(service, c.identifier() + "_Result", MethodDescriptor.MethodType.UNARY),
          ServerCalls.asyncUnaryCall((req, out) -> result(req, out)));
    }
    for (SilaFeature.Property p : feature.properties) {
      b.addMethod(
          method(
              service, "Subscribe_" + p.identifier(), MethodDescriptor.MethodType.SERVER_STREAMING),
          ServerCalls.asyncServerStreamingCall((req, out) -> subscribe(p, out)));
    }
    return b.build();
  }

  static MethodDescriptor<byte[], byte[]> method(
      String service, String name, MethodDescriptor.MethodType type) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(type)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(service, name))
        .setRequestMarshaller(SilaProtocol.BYTES)
        .setResponseMarshaller(SilaProtocol.BYTES)
        .build();
  }

  void close() {
    workers.shutdownNow();
    ticks.shutdownNow();
  }

  // ---- commands

  private void unobservable(SilaFeature.Command c, byte[] request, StreamObserver<byte[]> out) {
    Map<String, Object> args;
    try {
      args = arguments(c, request);
    } catch (StatusRuntimeException e) {
      out.onError(e);
      return;
    }
    Object answer = run(c, args);
    if (answer instanceof byte[] bytes) {
      out.onNext(bytes);
      out.onCompleted();
    } else if (answer instanceof StatusRuntimeException e) {
      out.onError(e);
    } // null: the connection dropped; the client sees that, not an answer
  }

  private void start(SilaFeature.Command c, byte[] request, StreamObserver<byte[]> out) {
    Map<String, Object> args;
    try {
      args = arguments(c, request);
    } catch (StatusRuntimeException e) {
      out.onError(e);
      return;
    }
    String uuid = UUID.randomUUID().toString();
    Execution execution = new Execution(c);
    executions.put(uuid, execution);
    out.onNext(protocol.confirmation(uuid).toByteArray());
    out.onCompleted();
    workers.execute(
        () -> {
          Object answer = run(c, args);
          execution.done.complete(
              answer != null
                  ? answer
                  // the connection dropped during the command: a client that asks (again) learns
                  // that the execution was lost with it
                  : Status.UNAVAILABLE
                      .withDescription("the connection dropped while the command ran")
                      .asRuntimeException());
        });
  }

  private void info(byte[] request, StreamObserver<byte[]> out) {
    Execution e = execution(request, out);
    if (e == null) return;
    ServerCallStreamObserver<byte[]> call = (ServerCallStreamObserver<byte[]>) out;
    Object lock = new Object();
    ScheduledFuture<?> tick =
        ticks.scheduleAtFixedRate(
            () -> {
              if (e.done.isDone() || call.isCancelled()) return;
              double seconds = (System.nanoTime() - e.startedNanos) / 1e9;
              synchronized (lock) {
                out.onNext(
                    protocol.executionInfo("running", 0.9 * seconds / (seconds + 1)).toByteArray());
              }
            },
            0,
            100,
            TimeUnit.MILLISECONDS);
    call.setOnCancelHandler(() -> tick.cancel(false));
    e.done.whenComplete(
        (answer, failure) -> {
          tick.cancel(false);
          synchronized (lock) {
            if (call.isCancelled()) return;
            if (failure != null) {
              out.onError(failure);
              return;
            }
            boolean ok = answer instanceof byte[];
            out.onNext(
                protocol
                    .executionInfo(ok ? "finishedSuccessfully" : "finishedWithError", ok ? 1.0 : 0)
                    .toByteArray());
            out.onCompleted();
          }
        });
  }

  private void result(byte[] request, StreamObserver<byte[]> out) {
    Execution e = execution(request, out);
    if (e == null) return;
    if (!e.done.isDone()) {
      out.onError(
          protocol.frameworkError(
              "COMMAND_EXECUTION_NOT_FINISHED", "the command execution is still running"));
      return;
    }
    Object answer = e.done.getNow(null);
    if (answer instanceof byte[] bytes) {
      out.onNext(bytes);
      out.onCompleted();
    } else if (answer instanceof StatusRuntimeException error) {
      out.onError(error);
    }
  }

  private Execution execution(byte[] request, StreamObserver<byte[]> out) {
    try {
      DynamicMessage id = DynamicMessage.parseFrom(protocol.type("CommandExecutionUUID"), request);
      Execution e = executions.get(SilaProtocol.uuid(id));
      if (e == null) {
        out.onError(
            protocol.frameworkError(
                "INVALID_COMMAND_EXECUTION_UUID", "no command execution " + SilaProtocol.uuid(id)));
      }
      return e;
    } catch (InvalidProtocolBufferException ex) {
      out.onError(Status.INVALID_ARGUMENT.withDescription(ex.getMessage()).asRuntimeException());
      return null;
    }
  }

  private Map<String, Object> arguments(SilaFeature.Command c, byte[] request) {
    Descriptor type = feature.message(c.identifier() + "_Parameters");
    DynamicMessage params;
    try {
      params = DynamicMessage.parseFrom(type, request);
    } catch (InvalidProtocolBufferException e) {
      throw protocol.validationError("", "the parameters do not parse: " + e.getMessage());
    }
    Map<String, Object> args = new LinkedHashMap<>();
    for (SilaFeature.Parameter p : c.parameters()) {
      FieldDescriptor f = type.findFieldByName(p.identifier());
      if (!params.hasField(f)) {
        throw protocol.validationError(
            feature.fullyQualified()
                + "/Command/"
                + c.identifier()
                + "/Parameter/"
                + p.identifier(),
            "missing parameter " + p.identifier());
      }
      args.put(p.input(), SilaProtocol.value((DynamicMessage) params.getField(f)));
    }
    return args;
  }

  /**
   * Runs the command on the instrument: the encoded responses (or garbage bytes), a SiLA error, or
   * null when the fault was a dropped connection.
   */
  private Object run(SilaFeature.Command c, Map<String, Object> args) {
    if (c.identifier().equals(SilaFeature.ABORT)) {
      instrument.abort();
      return responses(c, Map.of());
    }
    Outcome outcome = instrument.handle(c.binding().name(), c.inputs(), c.outputs(), args);
    if (outcome instanceof Outcome.Answer a) {
      return responses(c, a.outputs());
    }
    if (outcome instanceof Outcome.Failure f) {
      return switch (f.reason()) {
        case BAD_ARGUMENT -> protocol.validationError("", f.message());
        case UNKNOWN_SAMPLE ->
            protocol.definedError(feature.fullyQualified(), "UnknownSample", f.message());
        case BUSY -> protocol.definedError(feature.fullyQualified(), "Busy", f.message());
        case REFUSED -> protocol.definedError(feature.fullyQualified(), "Refused", f.message());
        default -> protocol.undefinedError(f.message());
      };
    }
    Outcome.Faulted fault = (Outcome.Faulted) outcome;
    log.info("{}: SiLA 2 fault {} on {}", instrument.name(), fault.fault(), c.identifier());
    if (fault.fault() == Fault.TIMEOUT) {
      instrument.hang(c.binding().timeout().map(t -> t.toMillis() + 5_000).orElse(HANG_MILLIS));
      return protocol.undefinedError("the instrument did not answer");
    }
    if (fault.fault() == Fault.GARBAGE) {
      byte[] noise = new byte[16];
      synchronized (garbage) {
        garbage.nextBytes(noise);
      }
      noise[0] = 0; // field number 0: no protobuf message parses this
      return noise;
    }
    dropConnections.run();
    return null;
  }

  private byte[] responses(SilaFeature.Command c, Map<String, Object> outputs) {
    Descriptor type = feature.message(c.identifier() + "_Responses");
    DynamicMessage.Builder b = DynamicMessage.newBuilder(type);
    for (SilaFeature.Response r : c.responses()) {
      Object v = outputs.get(r.output());
      if (v != null) b.setField(type.findFieldByName(r.identifier()), protocol.basic(r.type(), v));
    }
    return b.build().toByteArray();
  }

  // ---- properties

  private void subscribe(SilaFeature.Property p, StreamObserver<byte[]> out) {
    ServerCallStreamObserver<byte[]> call = (ServerCallStreamObserver<byte[]>) out;
    Descriptor type = feature.message("Subscribe_" + p.identifier() + "_Responses");
    FieldDescriptor field = type.findFieldByName(p.identifier());
    Object lock = new Object();
    BiConsumer<String, Object> listener =
        (name, value) -> {
          if (!name.equals(p.variable()) || call.isCancelled()) return;
          byte[] message =
              DynamicMessage.newBuilder(type)
                  .setField(field, protocol.basic(p.type(), value))
                  .build()
                  .toByteArray();
          synchronized (lock) {
            try {
              out.onNext(message);
            } catch (IllegalStateException | StatusRuntimeException closed) {
              // the call ended between the check and the send
            }
          }
        };
    call.setOnCancelHandler(() -> subscribers.remove(listener));
    subscribers.add(listener);
    listener.accept(p.variable(), instrument.variable(p.variable()));
  }
}
