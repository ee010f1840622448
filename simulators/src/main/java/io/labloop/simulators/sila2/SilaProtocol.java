package io.labloop.simulators.sila2;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SiLA 2 framework as the server needs it: the descriptors of {@code SiLAFramework.proto} and
 * {@code SiLAService.proto} (read from the descriptor set protoc made at build time), the basic
 * types as messages, the framework messages of observable commands, SiLA errors as gRPC statuses
 * (ABORTED with the Base64 of a {@code SiLAError}, as the standard says), and a marshaller that
 * passes bytes through, so that a handler can send bytes no message type parses (the garbage
 * fault).
 */
final class SilaProtocol {

  static final String FRAMEWORK_PACKAGE = "sila2.org.silastandard";

  final FileDescriptor framework;
  final FileDescriptor silaService;

  private SilaProtocol(FileDescriptor framework, FileDescriptor silaService) {
    this.framework = framework;
    this.silaService = silaService;
  }

  /** Loads the descriptors compiled into this module. */
  static SilaProtocol load() {
    try (InputStream in = SilaProtocol.class.getResourceAsStream("sila2.binpb")) {
      if (in == null) throw new IllegalStateException("sila2.binpb is missing from the build");
      FileDescriptorSet set = FileDescriptorSet.parseFrom(in);
      Map<String, FileDescriptorProto> byName = new LinkedHashMap<>();
      for (FileDescriptorProto f : set.getFileList()) byName.put(f.getName(), f);
      FileDescriptor framework =
          FileDescriptor.buildFrom(byName.get("SiLAFramework.proto"), new FileDescriptor[0]);
      FileDescriptor service =
          FileDescriptor.buildFrom(
              byName.get("SiLAService.proto"), new FileDescriptor[] {framework});
      return new SilaProtocol(framework, service);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException("the SiLA protocol files do not build", e);
    }
  }

  Descriptor type(String name) {
    Descriptor d = framework.findMessageTypeByName(name);
    if (d == null) throw new IllegalArgumentException("no SiLA framework type " + name);
    return d;
  }

  /**
   * A basic value ({@code String}, {@code Real}, {@code Integer}, {@code Boolean}) as a message.
   */
  DynamicMessage basic(String type, Object value) {
    Descriptor d = type(type);
    FieldDescriptor f = d.findFieldByName("value");
    Object v =
        switch (type) {
          case "Real" -> value instanceof Number n ? n.doubleValue() : parseDouble(value);
          case "Integer" -> value instanceof Number n ? n.longValue() : (long) parseDouble(value);
          case "Boolean" ->
              value instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(value));
          default -> String.valueOf(value);
        };
    return DynamicMessage.newBuilder(d).setField(f, v).build();
  }

  /** The value inside a basic message. */
  static Object value(Message basic) {
    FieldDescriptor f = basic.getDescriptorForType().findFieldByName("value");
    return f == null ? null : basic.getField(f);
  }

  private static double parseDouble(Object value) {
    try {
      return Double.parseDouble(String.valueOf(value));
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  DynamicMessage confirmation(String uuid) {
    Descriptor c = type("CommandConfirmation");
    Descriptor u = type("CommandExecutionUUID");
    DynamicMessage id =
        DynamicMessage.newBuilder(u).setField(u.findFieldByName("value"), uuid).build();
    return DynamicMessage.newBuilder(c)
        .setField(c.findFieldByName("commandExecutionUUID"), id)
        .build();
  }

  /** The UUID a client sends to {@code X_Info} and {@code X_Result}. */
  static String uuid(Message commandExecutionUuid) {
    return String.valueOf(value(commandExecutionUuid));
  }

  /**
   * An ExecutionInfo.
   *
   * @param status {@code waiting}, {@code running}, {@code finishedSuccessfully} or {@code
   *     finishedWithError}
   */
  DynamicMessage executionInfo(String status, double progress) {
    Descriptor d = type("ExecutionInfo");
    FieldDescriptor statusField = d.findFieldByName("commandStatus");
    return DynamicMessage.newBuilder(d)
        .setField(statusField, statusField.getEnumType().findValueByName(status))
        .setField(d.findFieldByName("progressInfo"), basic("Real", progress))
        .build();
  }

  /** A defined execution error of the feature (the client can tell which by its identifier). */
  StatusRuntimeException definedError(String featureId, String identifier, String message) {
    return error(
        "definedExecutionError",
        "DefinedExecutionError",
        Map.of("errorIdentifier", featureId + "/DefinedExecutionError/" + identifier),
        message);
  }

  StatusRuntimeException validationError(String parameter, String message) {
    return error("validationError", "ValidationError", Map.of("parameter", parameter), message);
  }

  StatusRuntimeException undefinedError(String message) {
    return error("undefinedExecutionError", "UndefinedExecutionError", Map.of(), message);
  }

  /** A framework error, e.g. {@code INVALID_COMMAND_EXECUTION_UUID}. */
  StatusRuntimeException frameworkError(String type, String message) {
    Descriptor d = type("FrameworkError");
    FieldDescriptor t = d.findFieldByName("errorType");
    DynamicMessage fe =
        DynamicMessage.newBuilder(d)
            .setField(t, t.getEnumType().findValueByName(type))
            .setField(d.findFieldByName("message"), message)
            .build();
    return wrap("frameworkError", fe);
  }

  private StatusRuntimeException error(
      String oneofField, String type, Map<String, String> fields, String message) {
    Descriptor d = type(type);
    DynamicMessage.Builder b =
        DynamicMessage.newBuilder(d).setField(d.findFieldByName("message"), message);
    fields.forEach((k, v) -> b.setField(d.findFieldByName(k), v));
    return wrap(oneofField, b.build());
  }

  private StatusRuntimeException wrap(String oneofField, DynamicMessage inner) {
    Descriptor e = type("SiLAError");
    DynamicMessage error =
        DynamicMessage.newBuilder(e).setField(e.findFieldByName(oneofField), inner).build();
    return Status.ABORTED
        .withDescription(Base64.getEncoder().encodeToString(error.toByteArray()))
        .asRuntimeException();
  }

  /** Bytes in, bytes out: handlers parse and build the messages themselves. */
  static final MethodDescriptor.Marshaller<byte[]> BYTES =
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
            throw Status.INTERNAL.withDescription(e.getMessage()).asRuntimeException();
          }
        }
      };
}
