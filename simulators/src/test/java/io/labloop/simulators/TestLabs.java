package io.labloop.simulators;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The test lab file, cut down to some instruments, on free ports and a pty link under a temp
 * folder.
 */
public final class TestLabs {

  private TestLabs() {}

  @SuppressWarnings("unchecked")
  public static Map<String, Object> tree(Path folder, String... keep) {
    Map<String, Object> tree;
    try (InputStream in =
        TestLabs.class.getClassLoader().getResourceAsStream("labs/test-lab.yaml")) {
      tree = VirtualLab.readYaml(in, "test-lab.yaml");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> names = List.of(keep);
    Map<String, Object> instruments = (Map<String, Object>) tree.get("instruments");
    Map<String, Object> simulation = (Map<String, Object>) tree.get("simulation");
    Map<String, Object> simulated = (Map<String, Object>) simulation.get("instruments");
    instruments.keySet().retainAll(names);
    simulated.keySet().retainAll(names);
    if (instruments.get("spectrometer") instanceof Map<?, ?> s) {
      ((Map<String, Object>) s).put("port", folder.resolve("uvvis").toString());
    }
    return tree;
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> section(Map<String, Object> tree, String... path) {
    Map<String, Object> at = tree;
    for (String key : path) {
      at = (Map<String, Object>) at.get(key);
    }
    return at;
  }
}
