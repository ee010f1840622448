package io.labloop.simulators.mqtt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.labloop.common.Threads;
import io.labloop.simulators.Endpoint;
import io.labloop.simulators.instrument.CommandBinding;
import io.labloop.simulators.instrument.Outcome;
import io.labloop.simulators.instrument.ProtocolDevice;
import io.labloop.simulators.instrument.SimulatedInstrument;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated MQTT 5 instrument: a client of the broker that subscribes to the request topic of
 * each lab command and answers every request on the request's Response Topic (or the command's
 * {@code response-topic}, or {@code <request>/response}) with the same Correlation Data.
 *
 * <p>Payloads are JSON. The command's {@code payload} template says which field carries which
 * argument ({@code {sample: "{sampleId}"}}: field {@code sample} is argument {@code sampleId});
 * without one, fields are arguments by name. Answers are the outputs by name ({@code
 * {"crystallinity": 0.82}}, nested where an output gives a dotted {@code path}); errors are {@code
 * {"error": "..."}}.
 *
 * <p>Faults: TIMEOUT answers nothing; GARBAGE answers bytes that are not JSON; DISCONNECT and
 * RESTART drop the device's connection to the broker and reconnect a moment later (it resubscribes
 * itself: Paho does not restore subscriptions of a clean session).
 */
public final class MqttDevice implements ProtocolDevice {

  private static final Logger log = LoggerFactory.getLogger(MqttDevice.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PLACEHOLDER = Pattern.compile("^\\{([^}]+)}$");
  private static final long REPLUG_MILLIS = 300;

  private final SimulatedInstrument instrument;
  private final URI broker;

  /**
   * The certificate (PEM) the device trusts on an ssl:// broker, or null for the JVM's defaults.
   */
  private final Path trustedCertificate;

  private final Map<String, Route> routes;
  private final String instrumentResponseTopic;
  private final MqttClient client;
  private final MqttConnectionOptions options;
  private final ExecutorService workers;
  private final Random garbage = new Random(13);
  private volatile boolean running = true;

  private record Route(
      CommandBinding command,
      Map<String, String> fieldToArgument,
      List<String> inputs,
      List<String> outputs,
      Map<String, String> outputPaths,
      String responseTopic) {}

  private MqttDevice(
      SimulatedInstrument instrument,
      URI broker,
      Map<String, Route> routes,
      String responseTopic,
      Path trustedCertificate)
      throws MqttException {
    this.instrument = instrument;
    this.broker = broker;
    this.trustedCertificate = trustedCertificate;
    this.routes = routes;
    this.instrumentResponseTopic = responseTopic;
    this.client =
        new MqttClient(
            broker.toString(),
            "labloop-sim-" + instrument.name() + "-" + Long.toHexString(System.nanoTime()),
            new MemoryPersistence());
    this.options = new MqttConnectionOptions();
    options.setCleanStart(true);
    options.setAutomaticReconnect(true);
    options.setAutomaticReconnectDelay(1, 5);
    options.setConnectionTimeout(10);
    if (trustedCertificate != null) {
      options.setSocketFactory(trusting(trustedCertificate));
    }
    this.workers = Executors.newCachedThreadPool(Threads.daemon("sim-mqtt-" + instrument.name()));
  }

  /**
   * Connects the device to the broker and subscribes to its request topics.
   *
   * @param trustedCertificate on an {@code ssl://} broker, the broker's certificate (PEM) to trust;
   *     empty: the JVM's default trust store
   */
  public static MqttDevice start(
      SimulatedInstrument instrument,
      Map<String, Object> section,
      URI broker,
      Optional<Path> trustedCertificate) {
    String responseTopic = section.get("response-topic") instanceof String s ? s : null;
    Map<String, Route> routes = new LinkedHashMap<>();
    for (CommandBinding c : CommandBinding.all(section)) {
      if (!(c.definition().get("request") instanceof String topic)) {
        continue;
      }
      Map<String, String> fields = new LinkedHashMap<>();
      templateFields(c.definition().get("payload"), "", fields);
      List<String> inputs =
          !c.inputs().isEmpty()
              ? c.inputs()
              : !fields.isEmpty() ? new ArrayList<>(fields.values()) : instrument.defaultInputs();
      Map<String, String> paths = new LinkedHashMap<>();
      if (c.definition().get("outputs") instanceof List<?> list) {
        for (Object o : list) {
          if (o instanceof Map<?, ?> m && m.get("name") != null && m.get("path") != null) {
            paths.put(String.valueOf(m.get("name")), String.valueOf(m.get("path")));
          }
        }
      }
      String commandResponse = c.definition().get("response-topic") instanceof String s ? s : null;
      routes.put(
          topic, new Route(c, fields, inputs, instrument.outputsOf(c), paths, commandResponse));
    }
    try {
      MqttDevice device =
          new MqttDevice(
              instrument, broker, routes, responseTopic, trustedCertificate.orElse(null));
      device.connect();
      return device;
    } catch (MqttException e) {
      throw new IllegalStateException(
          "the simulated "
              + instrument.name()
              + " cannot reach the MQTT broker at "
              + broker
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** Trusts exactly the certificates in a PEM file, as a client told to trust one broker does. */
  private static SSLSocketFactory trusting(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trust.setCertificateEntry("broker-" + i++, c);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot read the broker certificate " + pem + ": " + e.getMessage(), e);
    }
  }

  /**
   * Which payload field (dotted path) carries which argument, from a template such as {@code
   * {sample: "{sampleId}"}}.
   */
  private static void templateFields(Object template, String prefix, Map<String, String> out) {
    if (template instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String path = prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey();
        if (e.getValue() instanceof String s) {
          Matcher matcher = PLACEHOLDER.matcher(s.trim());
          if (matcher.matches()) {
            out.put(path, matcher.group(1).trim());
          }
        } else {
          templateFields(e.getValue(), path, out);
        }
      }
    }
  }

  private void connect() throws MqttException {
    client.setCallback(new Callback());
    client.connect(options);
    subscribe();
  }

  private void subscribe() throws MqttException {
    if (routes.isEmpty()) {
      return;
    }
    MqttSubscription[] subscriptions =
        routes.keySet().stream()
            .map(t -> new MqttSubscription(t, 1))
            .toArray(MqttSubscription[]::new);
    client.subscribe(subscriptions).waitForCompletion(10_000);
  }

  private final class Callback implements MqttCallback {
    @Override
    public void disconnected(MqttDisconnectResponse response) {
      log.debug(
          "{}: disconnected from {}: {}", instrument.name(), broker, response.getReasonString());
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
      log.debug("{}: MQTT error {}", instrument.name(), exception.toString());
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      Route route = routes.get(topic);
      if (route != null && running) {
        workers.execute(() -> handle(route, message));
      }
    }

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
      if (reconnect && running) {
        // Not from inside this callback: Paho's callback thread must return before a subscribe
        // completes.
        workers.execute(
            () -> {
              try {
                subscribe();
              } catch (MqttException e) {
                log.warn(
                    "{}: cannot resubscribe after reconnect: {}", instrument.name(), e.toString());
              }
            });
      }
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }

  private void handle(Route route, MqttMessage request) {
    MqttProperties in = request.getProperties();
    String replyTo =
        in != null && in.getResponseTopic() != null
            ? in.getResponseTopic()
            : route.responseTopic() != null
                ? route.responseTopic()
                : instrumentResponseTopic != null
                    ? instrumentResponseTopic
                    : route.command().definition().get("request") + "/response";
    byte[] correlation = in == null ? null : in.getCorrelationData();

    Map<String, Object> payload;
    try {
      payload = JSON.readValue(request.getPayload(), new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      instrument.handle(
          route.command().name(),
          route.inputs(),
          route.outputs(),
          Map.of("payload", new String(request.getPayload(), StandardCharsets.UTF_8)));
      send(replyTo, correlation, error("the request is not a JSON object"));
      return;
    }
    Map<String, Object> args = new LinkedHashMap<>();
    if (route.fieldToArgument().isEmpty()) {
      args.putAll(payload);
    } else {
      for (Map.Entry<String, String> e : route.fieldToArgument().entrySet()) {
        Object value = at(payload, e.getKey());
        if (value != null) {
          args.put(e.getValue(), value);
        }
      }
    }
    Outcome outcome =
        instrument.handle(route.command().name(), route.inputs(), route.outputs(), args);
    if (outcome instanceof Outcome.Answer a) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : a.outputs().entrySet()) {
        put(out, route.outputPaths().getOrDefault(e.getKey(), e.getKey()), e.getValue());
      }
      send(replyTo, correlation, json(out));
    } else if (outcome instanceof Outcome.Failure f) {
      send(replyTo, correlation, error(f.message()));
    } else if (outcome instanceof Outcome.Faulted f) {
      switch (f.fault()) {
        case GARBAGE -> {
          byte[] noise = new byte[16];
          synchronized (garbage) {
            garbage.nextBytes(noise);
          }
          noise[0] = (byte) 0xff; // never a valid start of JSON text
          send(replyTo, correlation, noise);
        }
        case DISCONNECT, RESTART -> replug();
        default -> {} // TIMEOUT: never answers
      }
    }
  }

  private static Object at(Map<String, Object> payload, String path) {
    Object current = payload;
    for (String part : path.split("\\.")) {
      if (!(current instanceof Map<?, ?> m)) {
        return null;
      }
      current = m.get(part);
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  private static void put(Map<String, Object> out, String path, Object value) {
    String[] parts = path.split("\\.");
    Map<String, Object> current = out;
    for (int i = 0; i < parts.length - 1; i++) {
      current =
          (Map<String, Object>)
              current.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
    }
    current.put(parts[parts.length - 1], value);
  }

  private static byte[] error(String message) {
    return json(Map.of("error", message));
  }

  private static byte[] json(Map<String, Object> value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private void send(String topic, byte[] correlation, byte[] payload) {
    MqttMessage reply = new MqttMessage(payload);
    reply.setQos(1);
    MqttProperties properties = new MqttProperties();
    if (correlation != null) {
      properties.setCorrelationData(correlation);
    }
    properties.setContentType("application/json");
    reply.setProperties(properties);
    try {
      client.publish(topic, reply);
    } catch (MqttException e) {
      log.debug("{}: reply lost: {}", instrument.name(), e.toString());
    }
  }

  private synchronized void replug() {
    try {
      client.disconnect(1000);
    } catch (MqttException e) {
      log.debug("{}: disconnect: {}", instrument.name(), e.toString());
    }
    try {
      TimeUnit.MILLISECONDS.sleep(REPLUG_MILLIS);
      if (running) {
        client.connect(options);
        subscribe();
      }
    } catch (MqttException e) {
      log.warn("{}: cannot reconnect to {}: {}", instrument.name(), broker, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public List<Endpoint> endpoints() {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("topics", String.join(",", routes.keySet()));
    if (trustedCertificate != null) {
      details.put("tls-ca", trustedCertificate.toString());
    }
    return List.of(
        new Endpoint(instrument.name(), "mqtt", broker.toString(), broker.getPort(), details));
  }

  @Override
  public void close() {
    running = false;
    instrument.abort();
    workers.shutdownNow();
    try {
      if (client.isConnected()) {
        client.disconnect(2000);
      }
    } catch (MqttException e) {
      try {
        client.disconnectForcibly(0, 500, false);
      } catch (MqttException ignored) {
        // closing anyway
      }
    }
    try {
      client.close();
    } catch (MqttException e) {
      log.debug("{}: close: {}", instrument.name(), e.toString());
    }
  }
}
