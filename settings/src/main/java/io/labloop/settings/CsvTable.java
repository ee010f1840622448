package io.labloop.settings;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A CSV file as its header and rows, every cell with the line and column it starts at, read by
 * Jackson's CSV parser so that anything a spreadsheet writes (RFC 4180) reads: fields in double
 * quotes holding commas, line breaks and doubled quotes, a UTF-8 byte-order mark, CRLF or LF line
 * ends, and empty cells, which stay cells of their own (the empty text) so columns never shift.
 *
 * <p>Cells are kept as written except that spaces around them are stripped (a hand-edited {@code a,
 * b} means {@code b}); lines with no text at all are left out, so a blank last line does not count
 * as a row. Readers type the cells themselves and report problems at {@link Cell#line()} and {@link
 * Cell#column()}: the position of the cell's first character (its opening quote when quoted),
 * counted as a text editor does, 1-based. A cell that follows a quoted line break is on a later
 * line than its row starts.
 *
 * @param header the first row: the column names
 * @param rows the rows below it, in file order
 */
public record CsvTable(Row header, List<Row> rows) {

  /** One cell: its text and where it starts. */
  public record Cell(String text, int line, int column) {}

  /**
   * One row of cells, and the line it starts on.
   *
   * @param line the 1-based line of the row's first character
   */
  public record Row(int line, List<Cell> cells) {

    /** The names of the cells, for a header row. */
    public List<String> texts() {
      return cells.stream().map(Cell::text).toList();
    }

    /** The cell in a column (0-based), or {@code null} if this row is shorter. */
    public @Nullable Cell cell(int index) {
      return index < cells.size() ? cells.get(index) : null;
    }

    /** Where the row ends: its last cell, for a problem about the row as a whole. */
    public Cell last() {
      return cells.get(cells.size() - 1);
    }
  }

  /** The CSV cannot be read as a table; says where and what. */
  public static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;
    private final int line;
    private final int column;

    public Malformed(int line, int column, String message) {
      super(message);
      this.line = line;
      this.column = column;
    }

    public int line() {
      return line;
    }

    public int column() {
      return column;
    }
  }

  public CsvTable {
    rows = List.copyOf(rows);
  }

  /** Reads a file; an I/O error becomes an {@link IOException}, bad CSV a {@link Malformed}. */
  public static CsvTable read(Path file) throws IOException, Malformed {
    return parse(Files.readAllBytes(file));
  }

  /** Parses CSV text given as bytes (UTF-8, with or without a byte-order mark). */
  public static CsvTable parse(byte[] bytes) throws Malformed {
    CsvFactory factory =
        CsvFactory.builder()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .disable(CsvParser.Feature.TRIM_SPACES)
            .build();
    List<Row> rows = new ArrayList<>();
    try (CsvParser parser = factory.createParser(new ByteArrayInputStream(bytes))) {
      List<Cell> cells = null;
      int rowLine = 0;
      for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
        if (t == JsonToken.START_ARRAY) {
          cells = new ArrayList<>();
          rowLine = -1;
        } else if (t == JsonToken.END_ARRAY) {
          if (cells != null && !(cells.size() == 1 && cells.get(0).text().isEmpty())) {
            rows.add(new Row(rowLine, cells));
          }
          cells = null;
        } else if (t == JsonToken.VALUE_STRING && cells != null) {
          JsonLocation at = parser.currentTokenLocation();
          int line = at.getLineNr();
          if (rowLine < 0) rowLine = line;
          cells.add(new Cell(parser.getText().strip(), line, Math.max(1, at.getColumnNr())));
        }
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new Malformed(
          at == null ? 1 : Math.max(1, at.getLineNr()),
          at == null ? 1 : Math.max(1, at.getColumnNr()),
          e.getOriginalMessage());
    } catch (IOException e) {
      throw new Malformed(1, 1, String.valueOf(e.getMessage()));
    }
    if (rows.isEmpty()) return new CsvTable(new Row(1, List.of(new Cell("", 1, 1))), List.of());
    return new CsvTable(rows.get(0), rows.subList(1, rows.size()));
  }

  /** Whether the file had no header at all (nothing but blank lines). */
  public boolean isEmpty() {
    return header.cells().size() == 1 && header.cells().get(0).text().isEmpty() && rows.isEmpty();
  }

  /** The 0-based index of the first column with this name, or -1. */
  public int column(String name) {
    return header.texts().indexOf(name);
  }
}
