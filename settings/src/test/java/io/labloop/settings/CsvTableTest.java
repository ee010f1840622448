package io.labloop.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTableTest {

  private static CsvTable parse(String text) throws CsvTable.Malformed {
    return CsvTable.parse(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aSpreadsheetsCsvReadsWithQuotesBomCrlfAndEmptyCells() throws Exception {
    CsvTable t =
        parse(
            "\uFEFFligand,base,note,yield\r\n"
                + "\"5-Phenyl-1,2,4-oxadiazole\",KOAc,\"two\r\nlines, and \"\"quotes\"\"\",12.5\r\n"
                + "XPhos,,,7\r\n");
    assertEquals(List.of("ligand", "base", "note", "yield"), t.header().texts());
    assertEquals(2, t.rows().size());
    assertEquals(
        List.of("5-Phenyl-1,2,4-oxadiazole", "KOAc", "two\r\nlines, and \"quotes\"", "12.5"),
        t.rows().get(0).texts());
    assertEquals(List.of("XPhos", "", "", "7"), t.rows().get(1).texts());
  }

  @Test
  void everyCellKnowsItsLineAndColumn() throws Exception {
    CsvTable t = parse("a,b\n1,\"x\ny\",3\n  4 ,5\n\n");
    CsvTable.Row first = t.rows().get(0);
    assertEquals(2, first.line());
    assertEquals(List.of(2, 2, 3), first.cells().stream().map(CsvTable.Cell::line).toList());
    assertEquals(1, first.cells().get(0).column());
    assertEquals(3, first.cells().get(1).column());
    CsvTable.Row second = t.rows().get(1);
    assertEquals(4, second.line());
    assertEquals("4", second.cells().get(0).text());
    assertEquals(6, second.cells().get(1).column());
    assertEquals(2, t.rows().size());
  }

  @Test
  void anUnclosedQuoteIsReportedWhereTheFileEnds() {
    CsvTable.Malformed m =
        assertThrows(CsvTable.Malformed.class, () -> parse("a,b\n1,\"never closed\n"));
    assertEquals(3, m.line());
  }
}
