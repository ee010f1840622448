package io.labloop.orchestrator.api;

import java.util.Locale;

/**
 * The formats {@code GET /api/campaigns/{id}/export} offers (the same as {@code labloop export}).
 */
public enum ExportFormat {
  CSV("text/csv"),
  JSONL("application/jsonl");

  private final String mediaType;

  ExportFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  public String mediaType() {
    return mediaType;
  }

  /** {@code csv} or {@code jsonl}, any case; else a 400 problem naming the choices. */
  public static ExportFormat parse(String text) {
    String t = text == null ? "csv" : text.trim().toLowerCase(Locale.ROOT);
    return switch (t) {
      case "csv" -> CSV;
      case "jsonl" -> JSONL;
      default ->
          throw ApiProblem.invalid(
              "unknown export format '" + text + "' (expected csv or jsonl)", java.util.List.of());
    };
  }
}
