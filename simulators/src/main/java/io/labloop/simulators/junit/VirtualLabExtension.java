package io.labloop.simulators.junit;

import io.labloop.simulators.VirtualLab;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts a {@link VirtualLab} for the tests of a class and stops it afterwards.
 *
 * <pre>{@code
 * @RegisterExtension
 * static VirtualLabExtension lab = VirtualLabExtension.fromResource("labs/sim-lab.yaml");
 *
 * @Test void measures(VirtualLab lab) { ... lab.endpoint("spectrometer").address() ... }
 * }</pre>
 *
 * <p>Registered on a static field, one lab serves the whole class; on an instance field, each test
 * gets a fresh one. Before starting, every simulated OPC UA endpoint and embedded MQTT broker is
 * moved to port 0 (a free port) and every serial port to a link in a temporary folder, so tests
 * running side by side never collide; {@link VirtualLab#labTree()} gives the lab file with the real
 * addresses, for a driver or a campaign under test. The temporary folder (work folder with
 * certificates, samples and journals) is deleted afterwards.
 */
public final class VirtualLabExtension
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        ParameterResolver {

  private final Map<String, Object> tree;
  private final Path baseDir;
  private UnaryOperator<Map<String, Object>> customizer = UnaryOperator.identity();
  private boolean freePorts = true;
  private VirtualLab lab;
  private Path tempDir;
  private boolean perClass;

  private VirtualLabExtension(Map<String, Object> tree, Path baseDir) {
    this.tree = tree;
    this.baseDir = baseDir;
  }

  /**
   * A lab from a classpath resource (relative dataset paths resolve next to it when it is a file).
   */
  public static VirtualLabExtension fromResource(String resource) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    var url = loader.getResource(resource);
    if (url == null) {
      throw new IllegalArgumentException("no resource " + resource + " on the test classpath");
    }
    try (InputStream in = url.openStream()) {
      Path base = null;
      if ("file".equals(url.getProtocol())) {
        base = Path.of(url.toURI()).getParent();
      }
      return new VirtualLabExtension(VirtualLab.readYaml(in, resource), base);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A lab from a lab file on disk. */
  public static VirtualLabExtension fromFile(Path labYaml) {
    try (InputStream in = Files.newInputStream(labYaml)) {
      return new VirtualLabExtension(
          VirtualLab.readYaml(in, labYaml.toString()), labYaml.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A lab from a tree the test builds (maps, lists, scalars as the YAML loader makes them). */
  public static VirtualLabExtension fromTree(Map<String, Object> labTree) {
    return new VirtualLabExtension(labTree, null);
  }

  /**
   * Changes the tree before the lab starts (after the ports were freed), e.g. to set a fault rate.
   */
  public VirtualLabExtension customize(UnaryOperator<Map<String, Object>> change) {
    this.customizer = change;
    return this;
  }

  /** Keeps the ports and paths the lab file gives instead of choosing free ones. */
  public VirtualLabExtension keepAddresses() {
    this.freePorts = false;
    return this;
  }

  /** The running lab (between before and after). */
  public VirtualLab lab() {
    if (lab == null) {
      throw new IllegalStateException("the virtual lab runs only while the tests run");
    }
    return lab;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    perClass = true;
    startLab();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stopLab();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!perClass) {
      startLab();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!perClass) {
      stopLab();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == VirtualLab.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return lab();
  }

  private void startLab() {
    try {
      tempDir = Files.createTempDirectory("labloop-sim-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Object> copy = copy(tree);
    if (freePorts) {
      moveToFreeAddresses(copy, tempDir);
    }
    copy = customizer.apply(copy);
    lab = VirtualLab.start(copy, baseDir == null ? tempDir : baseDir, tempDir.resolve("work"));
  }

  private void stopLab() {
    try {
      if (lab != null) {
        lab.close();
      }
    } finally {
      lab = null;
      deleteTree(tempDir);
    }
  }

  @SuppressWarnings("unchecked")
  static void moveToFreeAddresses(Map<String, Object> tree, Path folder) {
    Object sim = tree.get("simulation");
    Object instruments = tree.get("instruments");
    if (!(sim instanceof Map<?, ?> s)
        || !(instruments instanceof Map<?, ?> all)
        || !(s.get("instruments") instanceof Map<?, ?> simulated)) {
      return;
    }
    boolean externalBroker = "external".equals(s.get("broker"));
    for (Object name : simulated.keySet()) {
      if (!(all.get(name) instanceof Map<?, ?> raw)) {
        continue;
      }
      Map<String, Object> section = (Map<String, Object>) raw;
      switch (String.valueOf(section.get("driver"))) {
        case "opcua", "lads" ->
            section.computeIfPresent("endpoint", (k, v) -> withPortZero(String.valueOf(v)));
        case "mqtt" -> {
          if (!externalBroker) {
            section.computeIfPresent("broker", (k, v) -> withPortZero(String.valueOf(v)));
          }
        }
        case "serial" -> section.put("port", folder.resolve(String.valueOf(name)).toString());
        default -> {}
      }
    }
  }

  private static String withPortZero(String address) {
    URI uri = URI.create(address);
    try {
      return new URI(
              uri.getScheme(),
              uri.getUserInfo(),
              uri.getHost(),
              0,
              uri.getPath(),
              uri.getQuery(),
              uri.getFragment())
          .toString();
    } catch (URISyntaxException e) {
      return address;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> copy(Map<String, Object> tree) {
    Map<String, Object> out = new LinkedHashMap<>();
    tree.forEach((k, v) -> out.put(k, copyValue(v)));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Object copyValue(Object v) {
    if (v instanceof Map<?, ?> m) {
      return copy((Map<String, Object>) m);
    }
    if (v instanceof java.util.List<?> l) {
      return new java.util.ArrayList<>(l.stream().map(VirtualLabExtension::copyValue).toList());
    }
    return v;
  }

  private static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // best effort: a file still held open by a dying server thread
                }
              });
    } catch (IOException e) {
      // best effort
    }
  }
}
