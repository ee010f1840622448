package io.labloop.orchestrator.fuzz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every input kept under {@code src/test/resources/fuzz/}: the hostile inputs of issue 14
 * and whatever the fuzzers found since (the API's kept requests are replayed by {@link
 * ApiRequestFuzzTest}, which has the server).
 */
class FuzzRegressionTest {
  private static final Path KEPT = Path.of("src/test/resources/fuzz");

  /** The kept inputs of one target, as bytes, in name order. */
  static List<byte[]> kept(String target) throws IOException {
    List<byte[]> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(KEPT.resolve(target))) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList())
        out.add(Files.readAllBytes(f));
    }
    return out;
  }

  static Stream<Path> files(String target) throws IOException {
    return Files.list(KEPT.resolve(target)).filter(Files::isRegularFile).sorted();
  }

  static Stream<Path> yaml() throws IOException {
    return files("yaml");
  }

  static Stream<Path> expression() throws IOException {
    return files("expression");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("yaml")
  void keptYaml(Path file) throws IOException {
    Invariant.validateYaml(
        file.getFileName().toString(),
        Files.readString(file, StandardCharsets.UTF_8),
        Path.of("../config/campaigns"));
  }

  /** One expression per line. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("expression")
  void keptExpressions(Path file) throws IOException {
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) Invariant.expression(line);
  }
}
