package io.labloop.drivers.sila2;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.labloop.drivers.InstrumentError;
import java.security.cert.CertificateException;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLException;

/**
 * What went wrong in a SiLA 2 call, as one of the driver kinds.
 *
 * <p>A SiLA error travels as gRPC status ABORTED whose description is the Base64 of a {@code
 * SiLAError}: a validation error (a parameter the server will not take), a defined execution error
 * (one the feature names, e.g. {@code Busy}), an undefined execution error, or a framework error
 * (e.g. a command execution that is not finished). The instrument understood and said no: refused,
 * with the server's own words. An unreachable server, a dropped connection or a refused certificate
 * is a lost connection; a deadline is a timeout; bytes that do not parse are a bad reply.
 */
final class SilaErrors {

  private final String instrument;
  private final FileDescriptor framework;

  SilaErrors(String instrument, FileDescriptor framework) {
    this.instrument = instrument;
    this.framework = framework;
  }

  InstrumentError toError(String command, Throwable failure, Optional<String> certificateRefusal) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
    if (t instanceof InstrumentError e) return e;
    if (t instanceof SilaConnection.MalformedReply m)
      return new InstrumentError.BadReply(instrument, command, m.getMessage());
    if (t instanceof IllegalArgumentException a)
      return new InstrumentError.Refused(instrument, command, "not sent: " + a.getMessage());
    if (!(t instanceof StatusRuntimeException sre))
      return new InstrumentError.Disconnected(
          instrument, command, String.valueOf(t.getMessage()), t);
    Status status = sre.getStatus();
    switch (status.getCode()) {
      case ABORTED -> {
        return silaError(status.getDescription())
            .<InstrumentError>map(m -> new InstrumentError.Refused(instrument, command, m))
            .orElseGet(
                () ->
                    new InstrumentError.BadReply(
                        instrument,
                        command,
                        "the server aborted the call without a SiLA error: "
                            + status.getDescription()));
      }
      case DEADLINE_EXCEEDED -> {
        return new InstrumentError.Timeout(instrument, command, "the server's deadline passed");
      }
      case UNIMPLEMENTED -> {
        return new InstrumentError.Refused(
            instrument,
            command,
            "the server does not implement this call: " + status.getDescription());
      }
      case INVALID_ARGUMENT,
          FAILED_PRECONDITION,
          OUT_OF_RANGE,
          PERMISSION_DENIED,
          UNAUTHENTICATED -> {
        return new InstrumentError.Refused(
            instrument, command, status.getCode() + ": " + status.getDescription());
      }
      default -> {
        if (untrusted(sre) && certificateRefusal.isPresent())
          return new InstrumentError.Disconnected(
              instrument, command, certificateRefusal.get(), sre);
        return new InstrumentError.Disconnected(
            instrument,
            command,
            "the connection to the SiLA 2 server failed ("
                + status.getCode()
                + (status.getDescription() == null ? "" : ": " + status.getDescription())
                + ")",
            sre);
      }
    }
  }

  /** Whether the failure came from the TLS handshake refusing the server's certificate. */
  static boolean untrusted(Throwable failure) {
    for (Throwable c = failure; c != null; c = c.getCause())
      if (c instanceof CertificateException || c instanceof SSLException) return true;
    return false;
  }

  /** The SiLA error in an ABORTED status' description, in words. */
  Optional<String> silaError(String description) {
    if (description == null) return Optional.empty();
    DynamicMessage error;
    try {
      Descriptor type = framework.findMessageTypeByName("SiLAError");
      error = DynamicMessage.parseFrom(type, Base64.getDecoder().decode(description.trim()));
    } catch (IllegalArgumentException | InvalidProtocolBufferException e) {
      return Optional.empty();
    }
    for (FieldDescriptor f : error.getDescriptorForType().getFields()) {
      if (!error.hasField(f)) continue;
      DynamicMessage inner = (DynamicMessage) error.getField(f);
      String message = String.valueOf(SilaConnection.field(inner, "message"));
      return Optional.of(
          switch (f.getName()) {
            case "validationError" ->
                "validation error"
                    + suffix(String.valueOf(SilaConnection.field(inner, "parameter")))
                    + ": "
                    + message;
            case "definedExecutionError" ->
                shortName(String.valueOf(SilaConnection.field(inner, "errorIdentifier")))
                    + ": "
                    + message;
            case "frameworkError" ->
                "framework error " + SilaConnection.field(inner, "errorType") + ": " + message;
            default -> message;
          });
    }
    return Optional.empty();
  }

  private static String suffix(String parameter) {
    return parameter.isEmpty() ? "" : " of " + shortName(parameter);
  }

  /** {@code org.x/y/Feature/v1/DefinedExecutionError/Busy} to {@code Busy}. */
  private static String shortName(String id) {
    int slash = id.lastIndexOf('/');
    return slash < 0 ? id : id.substring(slash + 1);
  }
}
