package io.labloop.orchestrator.config;

import java.util.List;

/** Collects the problems of one file into a list shared by every file of one load. */
final class Report {

  private final String file;
  private final List<ConfigProblem> sink;

  Report(String file, List<ConfigProblem> sink) {
    this.file = file;
    this.sink = sink;
  }

  String file() {
    return file;
  }

  void error(YamlNode.Pos pos, String message) {
    sink.add(new ConfigProblem(file, pos.line(), pos.column(), message));
  }

  void error(YamlNode node, String message) {
    error(node.pos(), message);
  }

  void error(int line, int column, String message) {
    sink.add(new ConfigProblem(file, line, column, message));
  }

  /** How many problems the whole load has so far (to tell whether a step added any). */
  int count() {
    return sink.size();
  }
}
