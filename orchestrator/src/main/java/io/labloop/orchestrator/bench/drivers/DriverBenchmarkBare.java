package io.labloop.orchestrator.bench.drivers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fazecast.jSerialComm.SerialPort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowsePath;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowsePathResult;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodResult;
import org.eclipse.milo.opcua.stack.core.types.structured.RelativePath;
import org.eclipse.milo.opcua.stack.core.types.structured.RelativePathElement;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * The same measurement as the drivers make, written directly against each library with the least
 * code that still does the whole job (send, wait, extract the value): the baseline the driver's
 * overhead is measured against.
 */
final class DriverBenchmarkBare {

  private DriverBenchmarkBare() {}

  /** One synchronous measurement of a sample; returns the peak. */
  interface RoundTrip extends AutoCloseable {
    Object measure(String sampleId) throws Exception;
  }

  /** Milo: one Call service request. */
  static final class Milo implements RoundTrip {
    private final OpcUaClient client;
    private final NodeId object = NodeId.parse(DriverBenchmarkLab.OPCUA_OBJECT);
    private final NodeId method = NodeId.parse(DriverBenchmarkLab.OPCUA_METHOD);

    Milo(String endpoint) throws Exception {
      client = OpcUaClient.create(endpoint);
      client.connect();
    }

    @Override
    public Object measure(String sampleId) throws Exception {
      CallMethodResult r =
          client.call(
                  List.of(
                      new CallMethodRequest(object, method, new Variant[] {new Variant(sampleId)})))
              .getResults()[0];
      if (r.getStatusCode().isBad()) throw new IOException("call failed: " + r.getStatusCode());
      return r.getOutputArguments()[0].getValue();
    }

    @Override
    public void close() throws Exception {
      client.disconnect();
    }
  }

  /**
   * Milo on a LADS functional unit: one Call of StartProgram (template, the sample id as a
   * KeyValueType property, job and task ids, no samples) returns the run id; then one
   * TranslateBrowsePathsToNodeIds request per poll resolves {@code ResultSet/<run id>/Stopped} and
   * {@code .../VariableSet/peak}, the device adding Stopped last (so a resolved Stopped means a
   * finished run), every {@link DriverBenchmarkLab#LADS_POLL_MILLIS} as the driver polls; one Read
   * of both checks that Stopped is set and gives the peak. Three round trips when the result is
   * there at the first look. The unit's node ids are known, not browsed (the driver browses them
   * once per connection, outside the timed calls too).
   */
  static final class Lads implements RoundTrip {
    private final OpcUaClient client;
    private final NodeId stateMachine;
    private final NodeId startProgram;
    private final NodeId resultSet;
    private final NodeId keyValueEncoding;
    private final int device;
    private final UShort lads;

    Lads(String endpoint) throws Exception {
      client = OpcUaClient.create(endpoint);
      client.connect();
      NamespaceTable table = client.readNamespaceTable();
      device = table.getIndex(DriverBenchmarkLab.LADS_NAMESPACE).intValue();
      lads = table.getIndex(DriverBenchmarkLab.LADS_URI);
      String unit = DriverBenchmarkLab.LADS_DEVICE + "." + DriverBenchmarkLab.LADS_UNIT + ".";
      stateMachine = new NodeId(device, unit + "FunctionalUnitState");
      startProgram = new NodeId(device, unit + "StartProgram");
      resultSet = new NodeId(device, unit + "ResultSet");
      // LADS KeyValueType's Default Binary encoding (LADS i=5045)
      keyValueEncoding = new NodeId(lads, 5045);
    }

    @Override
    public Object measure(String sampleId) throws Exception {
      ExtensionObject property =
          ExtensionObject.of(ByteString.of(keyValue("sampleId", sampleId)), keyValueEncoding);
      Variant[] inputs = {
        new Variant(DriverBenchmarkLab.LADS_PROGRAM),
        new Variant(new ExtensionObject[] {property}),
        new Variant("bench"),
        new Variant("measure"),
        new Variant(new ExtensionObject[0])
      };
      CallMethodResult started =
          client.call(List.of(new CallMethodRequest(stateMachine, startProgram, inputs)))
              .getResults()[0];
      if (started.getStatusCode().isBad())
        throw new IOException("StartProgram failed: " + started.getStatusCode());
      String runId = (String) started.getOutputArguments()[0].getValue();
      List<BrowsePath> paths =
          List.of(
              path(new QualifiedName(device, runId), new QualifiedName(lads, "Stopped")),
              path(
                  new QualifiedName(device, runId),
                  new QualifiedName(lads, "VariableSet"),
                  new QualifiedName(device, "peak")));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (true) {
        BrowsePathResult[] found = client.translateBrowsePaths(paths).getResults();
        if (found[0].getStatusCode().isGood() && found[1].getStatusCode().isGood()) {
          List<DataValue> values =
              client.readValues(
                  0.0, TimestampsToReturn.Neither, List.of(target(found[0]), target(found[1])));
          if (values.get(0).getValue().getValue() == null)
            throw new IOException("run " + runId + " has no Stopped time");
          return values.get(1).getValue().getValue();
        }
        if (System.nanoTime() > deadline) throw new IOException("no result for " + runId);
        Thread.sleep(DriverBenchmarkLab.LADS_POLL_MILLIS);
      }
    }

    private BrowsePath path(QualifiedName... names) {
      RelativePathElement[] elements = new RelativePathElement[names.length];
      for (int i = 0; i < names.length; i++)
        elements[i] =
            new RelativePathElement(NodeIds.HierarchicalReferences, false, true, names[i]);
      return new BrowsePath(resultSet, new RelativePath(elements));
    }

    private NodeId target(BrowsePathResult r) throws Exception {
      return r.getTargets()[0].getTargetId().toNodeIdOrThrow(client.getNamespaceTable());
    }

    /** LADS KeyValueType in OPC UA binary: Key and Value as UA Strings (Int32 length, UTF-8). */
    private static byte[] keyValue(String key, String value) {
      byte[] k = key.getBytes(StandardCharsets.UTF_8);
      byte[] v = value.getBytes(StandardCharsets.UTF_8);
      return ByteBuffer.allocate(8 + k.length + v.length)
          .order(ByteOrder.LITTLE_ENDIAN)
          .putInt(k.length)
          .put(k)
          .putInt(v.length)
          .put(v)
          .array();
    }

    @Override
    public void close() throws Exception {
      client.disconnect();
    }
  }

  /** jSerialComm: write a line, read until the terminator, match the reply. */
  static final class RawSerial implements RoundTrip {
    private static final Pattern REPLY = Pattern.compile("^OK peak=(?<peak>[-0-9.eE]+)$");
    private final SerialPort port;
    private final byte[] buffer = new byte[256];

    RawSerial(String path) throws IOException {
      port = SerialPort.getCommPort(path);
      port.setComPortParameters(115200, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
      port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 2_000, 0);
      if (!port.openPort()) throw new IOException("cannot open " + path);
    }

    @Override
    public Object measure(String sampleId) throws Exception {
      byte[] out = ("MEAS " + sampleId + "\n").getBytes(StandardCharsets.US_ASCII);
      port.writeBytes(out, out.length);
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      while (true) {
        int n = port.readBytes(buffer, buffer.length);
        if (n <= 0) throw new IOException("no reply");
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            Matcher m = REPLY.matcher(line.toString(StandardCharsets.US_ASCII).trim());
            if (!m.matches()) throw new IOException("unexpected reply " + line);
            return Double.parseDouble(m.group("peak"));
          }
          line.write(buffer[i]);
        }
      }
    }

    @Override
    public void close() {
      port.closePort();
    }
  }

  /**
   * Paho v5: publish with Response Topic and Correlation Data, wait for the reply with the same
   * data.
   */
  static final class Paho implements RoundTrip {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MqttAsyncClient client;
    private final String replyTopic = "bench/replies/" + UUID.randomUUID();
    private final Map<ByteBuffer, CompletableFuture<byte[]>> waiting = new ConcurrentHashMap<>();

    Paho(String broker) throws MqttException {
      client =
          new MqttAsyncClient(
              broker,
              "bench-bare-" + UUID.randomUUID().toString().substring(0, 8),
              new MemoryPersistence());
      client.setCallback(
          new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse r) {}

            @Override
            public void mqttErrorOccurred(MqttException e) {}

            @Override
            public void messageArrived(String topic, MqttMessage m) {
              byte[] c = m.getProperties() == null ? null : m.getProperties().getCorrelationData();
              CompletableFuture<byte[]> f = c == null ? null : waiting.remove(ByteBuffer.wrap(c));
              if (f != null) f.complete(m.getPayload());
            }

            @Override
            public void deliveryComplete(IMqttToken t) {}

            @Override
            public void connectComplete(boolean reconnect, String uri) {}

            @Override
            public void authPacketArrived(int code, MqttProperties p) {}
          });
      client.connect(new MqttConnectionOptions()).waitForCompletion(10_000);
      client
          .subscribe(new MqttSubscription[] {new MqttSubscription(replyTopic, 1)})
          .waitForCompletion(10_000);
    }

    @Override
    public Object measure(String sampleId) throws Exception {
      byte[] correlation = UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);
      CompletableFuture<byte[]> reply = new CompletableFuture<>();
      waiting.put(ByteBuffer.wrap(correlation), reply);
      MqttMessage m = new MqttMessage(JSON.writeValueAsBytes(Map.of("sampleId", sampleId)));
      m.setQos(1);
      MqttProperties p = new MqttProperties();
      p.setResponseTopic(replyTopic);
      p.setCorrelationData(correlation);
      m.setProperties(p);
      client.publish(DriverBenchmarkLab.MQTT_TOPIC, m);
      Map<?, ?> tree = JSON.readValue(reply.get(10, TimeUnit.SECONDS), Map.class);
      return tree.get("peak");
    }

    @Override
    public void close() throws MqttException {
      client.disconnect().waitForCompletion(5_000);
      client.close();
    }
  }

  /**
   * grpc-java: one unary call of the SiLA 2 command, over TLS trusting the server's certificate
   * file, the request and the reply written and read with protobuf's coded streams (field 1 of the
   * parameters is the SampleId String message, field 1 of the responses the Peak Real message).
   */
  static final class Grpc implements RoundTrip {
    private static final io.grpc.MethodDescriptor.Marshaller<byte[]> BYTES =
        new io.grpc.MethodDescriptor.Marshaller<>() {
          @Override
          public java.io.InputStream stream(byte[] value) {
            return new java.io.ByteArrayInputStream(value);
          }

          @Override
          public byte[] parse(java.io.InputStream stream) {
            try {
              return stream.readAllBytes();
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }
        };
    private final io.grpc.ManagedChannel channel;
    private final io.grpc.MethodDescriptor<byte[], byte[]> method =
        io.grpc.MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(
                io.grpc.MethodDescriptor.generateFullMethodName(
                    DriverBenchmarkLab.SILA_SERVICE, "Measure"))
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();

    Grpc(String address, java.nio.file.Path certificate) throws IOException {
      int colon = address.lastIndexOf(':');
      channel =
          io.grpc.Grpc.newChannelBuilderForAddress(
                  address.substring(0, colon),
                  Integer.parseInt(address.substring(colon + 1)),
                  io.grpc.TlsChannelCredentials.newBuilder()
                      .trustManager(certificate.toFile())
                      .build())
              .build();
    }

    @Override
    public Object measure(String sampleId) throws Exception {
      java.io.ByteArrayOutputStream inner = new java.io.ByteArrayOutputStream();
      com.google.protobuf.CodedOutputStream s =
          com.google.protobuf.CodedOutputStream.newInstance(inner);
      s.writeString(1, sampleId);
      s.flush();
      java.io.ByteArrayOutputStream outer = new java.io.ByteArrayOutputStream();
      com.google.protobuf.CodedOutputStream o =
          com.google.protobuf.CodedOutputStream.newInstance(outer);
      o.writeByteArray(1, inner.toByteArray());
      o.flush();
      byte[] reply =
          io.grpc.stub.ClientCalls.blockingUnaryCall(
              channel,
              method,
              io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
              outer.toByteArray());
      com.google.protobuf.CodedInputStream in =
          com.google.protobuf.CodedInputStream.newInstance(reply);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag >>> 3 != 1) {
          in.skipField(tag);
          continue;
        }
        com.google.protobuf.CodedInputStream real =
            com.google.protobuf.CodedInputStream.newInstance(in.readByteArray());
        for (int t = real.readTag(); t != 0; t = real.readTag()) {
          if (t >>> 3 == 1) return real.readDouble();
          real.skipField(t);
        }
      }
      throw new IOException("the reply has no Peak");
    }

    @Override
    public void close() throws Exception {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
