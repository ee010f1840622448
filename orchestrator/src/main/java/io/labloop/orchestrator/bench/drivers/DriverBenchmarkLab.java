package io.labloop.orchestrator.bench.drivers;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lab the driver benchmark runs against: one measuring instrument per protocol (the SiLA 2 one
 * over TLS, its measure command unobservable: one call each way; the LADS one a program run on a
 * functional unit), all measuring the same sample, plus an OPC UA robot that makes that sample.
 * Operations take no time (time-scale 0) and nothing fails, so what is measured is the protocol
 * round trip and whatever the code around it adds.
 */
final class DriverBenchmarkLab {

  static final String ROBOT = "robot";
  static final String OPCUA = "meter";
  static final String SERIAL = "uvvis";
  static final String MQTT = "xrd";
  static final String OPCUA_OBJECT = "ns=2;s=Meter";
  static final String OPCUA_METHOD = "ns=2;s=Meter.Measure";
  static final String MQTT_TOPIC = "lab/xrd/measure";
  static final String SILA = "silameter";
  static final String SILA_SERVICE = "sila2.org.labloop.virtuallab.meter.v1.Meter";
  static final String LADS = "ladsmeter";
  static final String LADS_DEVICE = "LadsMeter";
  static final String LADS_UNIT = "Meter";
  static final String LADS_PROGRAM = "Measure";

  /** How often both LADS clients look for a run's result (the driver's default). */
  static final long LADS_POLL_MILLIS = 50;

  /**
   * The virtual lab's namespace for its LADS devices: their node ids are {@code
   * <device>.<unit>.<node>} strings in it, which the bare client addresses directly (as the bare
   * OPC UA client does {@link #OPCUA_METHOD}) where the driver browses.
   */
  static final String LADS_NAMESPACE = "urn:labloop:virtual-lab:lads";

  static final String LADS_URI = "http://opcfoundation.org/UA/LADS/";

  private DriverBenchmarkLab() {}

  /** The lab file as a tree, with free ports (0) and the serial link under {@code folder}. */
  static Map<String, Object> tree(Path folder) {
    Map<String, Object> instruments = new LinkedHashMap<>();
    instruments.put(
        ROBOT,
        Map.of(
            "driver",
            "opcua",
            "endpoint",
            "opc.tcp://127.0.0.1:0/labloop",
            "commands",
            Map.of(
                "synthesize",
                Map.of(
                    "method", Map.of("object", "ns=2;s=Robot", "method", "ns=2;s=Robot.Synthesize"),
                    "inputs", List.of("temperature", "time", "concentration", "solvent"),
                    "outputs", List.of("sampleId")))));
    instruments.put(
        OPCUA,
        Map.of(
            "driver",
            "opcua",
            "endpoint",
            "opc.tcp://127.0.0.1:0/labloop",
            "commands",
            Map.of(
                "measure",
                Map.of(
                    "method",
                    Map.of("object", OPCUA_OBJECT, "method", OPCUA_METHOD),
                    "inputs",
                    List.of("sampleId"),
                    "outputs",
                    List.of("peak")))));
    instruments.put(
        SERIAL,
        Map.of(
            "driver",
            "serial",
            "port",
            folder.resolve("uvvis").toString(),
            "baud",
            115200,
            "commands",
            Map.of(
                "measure",
                Map.of(
                    "send",
                    "MEAS {sampleId}",
                    "expect",
                    "^OK peak=(?<peak>[-0-9.eE]+)$",
                    "error",
                    "^ERR (?<message>.*)$",
                    "outputs",
                    List.of("peak")))));
    instruments.put(
        MQTT,
        Map.of(
            "driver",
            "mqtt",
            "broker",
            "tcp://127.0.0.1:0",
            "commands",
            Map.of(
                "measure",
                Map.of(
                    "request",
                    MQTT_TOPIC,
                    "payload",
                    Map.of("sampleId", "{sampleId}"),
                    "outputs",
                    List.of("peak")))));
    instruments.put(
        SILA,
        Map.of(
            "driver",
            "sila2",
            "server",
            "127.0.0.1:0",
            "feature",
            "org.labloop/virtuallab/Meter/v1",
            "commands",
            Map.of("measure", Map.of("observable", false, "outputs", List.of("peak")))));
    // Its own server (another path), so that its session is not the one the opcua meter's driver
    // shares. The driver's default result poll (50 ms) is set, and the bare client polls as
    // often; files: false because the bare client reads the peak only, not the result document.
    instruments.put(
        LADS,
        Map.of(
            "driver",
            "lads",
            "endpoint",
            "opc.tcp://127.0.0.1:0/lads",
            "device",
            LADS_DEVICE,
            "functional-unit",
            LADS_UNIT,
            "poll",
            LADS_POLL_MILLIS + "ms",
            "commands",
            Map.of(
                "measure",
                Map.of(
                    "program",
                    LADS_PROGRAM,
                    "properties",
                    Map.of("sampleId", "{sampleId}"),
                    "files",
                    false,
                    "outputs",
                    List.of("peak")))));
    Map<String, Object> simulated = new LinkedHashMap<>();
    simulated.put(ROBOT, Map.of("role", "synthesizer", "duration", 0));
    for (String measurer : List.of(OPCUA, SERIAL, MQTT, SILA, LADS)) {
      simulated.put(
          measurer, Map.of("role", "measurer", "measures", List.of("peak"), "duration", 0));
    }
    Map<String, Object> simulation = new LinkedHashMap<>();
    simulation.put("seed", 1);
    simulation.put("time-scale", 0);
    simulation.put("world", Map.of("model", "silver-nanoparticles"));
    simulation.put("instruments", simulated);
    Map<String, Object> lab = new LinkedHashMap<>();
    lab.put("lab", "bench-drivers");
    lab.put("instruments", instruments);
    lab.put("simulation", simulation);
    return lab;
  }
}
