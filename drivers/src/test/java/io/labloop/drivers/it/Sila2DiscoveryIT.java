package io.labloop.drivers.it;

import static io.labloop.drivers.it.Labs.SYNTH_ARGS;
import static io.labloop.drivers.it.Labs.fails;
import static io.labloop.drivers.it.Labs.ok;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.drivers.Command;
import io.labloop.drivers.Drivers;
import io.labloop.drivers.Instrument;
import io.labloop.drivers.InstrumentError;
import io.labloop.drivers.InstrumentStatus;
import io.labloop.drivers.Reply;
import io.labloop.simulators.VirtualLab;
import io.labloop.simulators.junit.VirtualLabExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SiLA Server Discovery end to end: the virtual lab plays a SiLA 2 server that the lab file names
 * ({@code discover:}) instead of giving its address, so the server announces itself on mDNS ({@code
 * _sila._tcp.local.}, on the host's multicast interface) and the driver finds it by name, checks
 * the name with SiLA Service, and runs a command over TLS; a name nobody answers to leaves the
 * instrument offline with a message naming the servers that did answer.
 */
class Sila2DiscoveryIT {

  private static final String NAME = "LabLoop discovery robot";

  /** A second server, found by its UUID (the virtual lab gives the server the UUID it is asked). */
  private static final String UUID = "5c0ffee0-1ab1-4f00-9d15-c0de5a1a2000";

  private static Map<String, Object> tree() {
    Map<String, Object> robot = new LinkedHashMap<>();
    robot.put("driver", "sila2");
    robot.put("discover", NAME);
    robot.put("feature", "org.labloop/virtuallab/SynthesisRobot/v1");
    robot.put(
        "commands",
        Map.of(
            "quick-synthesize",
            Map.of("observable", false, "outputs", List.of("sampleId"), "timeout", "3s")));
    Map<String, Object> second = new LinkedHashMap<>(robot);
    second.put("discover", UUID);
    Map<String, Object> instruments = new LinkedHashMap<>();
    instruments.put("robot", robot);
    instruments.put("second", second);
    return Labs.lab(
        instruments, Map.of("robot", Labs.synthesizer(), "second", Labs.synthesizer()), 0);
  }

  @RegisterExtension static VirtualLabExtension virtual = VirtualLabExtension.fromTree(tree());

  @TempDir Path data;
  private Drivers drivers;

  @BeforeEach
  void drivers() {
    drivers = Drivers.standard();
  }

  @AfterEach
  void close() {
    drivers.close();
  }

  /** The section as the lab has it, the server's certificate trusted, with changes. */
  private static Map<String, Object> section(VirtualLab lab, Map<String, Object> changes) {
    return section(lab, "robot", changes);
  }

  private static Map<String, Object> section(
      VirtualLab lab, String name, Map<String, Object> changes) {
    Map<String, Object> s = new LinkedHashMap<>(Labs.section(lab, name, changes));
    s.put("tls", Map.of("certificate", lab.endpoint(name).details().get("certificate")));
    return s;
  }

  @Test
  void theServerIsFoundByItsNameAndRunsACommand(VirtualLab lab) throws Exception {
    Map<String, Object> s = section(lab, Map.of("discover-timeout", "10s"));
    assertFalse(s.containsKey("server"), s.toString());
    try (Instrument robot = Labs.create(drivers, "robot", s, data)) {
      robot.connect().get(Labs.ANSWER_SECONDS, TimeUnit.SECONDS);
      assertEquals(InstrumentStatus.State.ONLINE, robot.status().state());
      Reply reply = ok(robot.execute(new Command("quick-synthesize", SYNTH_ARGS)));
      String sample = String.valueOf(reply.outputs().get("sampleId"));
      assertTrue(lab.world().sample(sample).isPresent(), sample);
    }
  }

  @Test
  void aServerIsFoundByItsUuid(VirtualLab lab) throws Exception {
    Map<String, Object> s = section(lab, "second", Map.of("discover", UUID.toUpperCase()));
    try (Instrument second = Labs.create(drivers, "second", s, data)) {
      ok(second.execute(new Command("quick-synthesize", SYNTH_ARGS)));
      assertEquals(InstrumentStatus.State.ONLINE, second.status().state());
    }
  }

  @Test
  void aServerThatSaysItIsAnotherIsRefused(VirtualLab lab) throws Exception {
    // the server is renamed through SiLA Service; its announcement still says NAME
    setServerName(lab, "robot", "Someone else");
    try (Instrument robot = Labs.create(drivers, "robot", section(lab, Map.of()), data)) {
      InstrumentError e = fails(robot.connect(), InstrumentError.Refused.class);
      assertTrue(e.getMessage().contains("'" + NAME + "'"), e.getMessage());
      assertTrue(e.getMessage().contains("says it is 'Someone else'"), e.getMessage());
      assertTrue(e.getMessage().contains(lab.endpoint("robot").address()), e.getMessage());
      assertEquals(
          Optional.of(InstrumentStatus.ReasonKind.CONFIGURATION), robot.status().reasonKind());
    } finally {
      setServerName(lab, "robot", NAME);
    }
  }

  /** SiLA Service's SetServerName, its parameters encoded by hand (field 1 of field 1). */
  private static void setServerName(VirtualLab lab, String instrument, String name)
      throws Exception {
    byte[] text = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream inner = new java.io.ByteArrayOutputStream();
    inner.write(0x0A);
    inner.write(text.length);
    inner.write(text);
    java.io.ByteArrayOutputStream outer = new java.io.ByteArrayOutputStream();
    outer.write(0x0A);
    outer.write(inner.size());
    inner.writeTo(outer);
    io.grpc.MethodDescriptor.Marshaller<byte[]> bytes =
        new io.grpc.MethodDescriptor.Marshaller<>() {
          @Override
          public java.io.InputStream stream(byte[] value) {
            return new java.io.ByteArrayInputStream(value);
          }

          @Override
          public byte[] parse(java.io.InputStream stream) {
            try {
              return stream.readAllBytes();
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }
        };
    io.grpc.MethodDescriptor<byte[], byte[]> method =
        io.grpc.MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(
                "sila2.org.silastandard.core.silaservice.v1.SiLAService/SetServerName")
            .setRequestMarshaller(bytes)
            .setResponseMarshaller(bytes)
            .build();
    String address = lab.endpoint(instrument).address();
    int colon = address.lastIndexOf(':');
    io.grpc.ManagedChannel channel =
        io.grpc.Grpc.newChannelBuilderForAddress(
                address.substring(0, colon),
                Integer.parseInt(address.substring(colon + 1)),
                io.grpc.TlsChannelCredentials.newBuilder()
                    .trustManager(
                        new java.io.File(lab.endpoint(instrument).details().get("certificate")))
                    .build())
            .build();
    try {
      io.grpc.stub.ClientCalls.blockingUnaryCall(
          channel,
          method,
          io.grpc.CallOptions.DEFAULT.withDeadlineAfter(Labs.ANSWER_SECONDS, TimeUnit.SECONDS),
          outer.toByteArray());
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void aNameNobodyAnswersToLeavesItOfflineNamingTheServersSeen(VirtualLab lab) {
    Map<String, Object> s =
        section(lab, Map.of("discover", "No such robot", "discover-timeout", "2s"));
    try (Instrument robot = Labs.create(drivers, "robot", s, data)) {
      long start = System.nanoTime();
      InstrumentError e = fails(robot.connect(), InstrumentError.Disconnected.class);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertTrue(took.compareTo(Duration.ofSeconds(2)) >= 0, "gave up after " + took);
      String message = e.getMessage();
      assertTrue(message.contains("'No such robot'"), message);
      assertTrue(message.contains("within 2 s"), message);
      assertTrue(message.contains("_sila._tcp.local."), message);
      // the virtual server was seen, by name and address
      assertTrue(message.contains("'" + NAME + "'"), message);
      assertTrue(message.contains(lab.endpoint("robot").address()), message);
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                InstrumentStatus status = robot.status();
                assertEquals(InstrumentStatus.State.OFFLINE, status.state());
                assertEquals(
                    Optional.of(InstrumentStatus.ReasonKind.COMMUNICATION), status.reasonKind());
                assertTrue(status.reason().contains("No such robot"), status.reason());
              });
    }
  }
}
