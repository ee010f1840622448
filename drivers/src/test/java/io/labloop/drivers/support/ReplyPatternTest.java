package io.labloop.drivers.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplyPatternTest {

  private final ReplyPattern measure =
      ReplyPattern.compile("^OK peak=(?<peak>[0-9.]+) fwhm=(?<fwhm>[0-9.]+)$");

  @Test
  void namedGroupsBecomeOutputsAndNumbersBecomeDoubles() {
    assertEquals(List.of("peak", "fwhm"), measure.groups());
    assertEquals(
        Optional.of(Map.of("peak", 521.5, "fwhm", 38.0)), measure.match("OK peak=521.5 fwhm=38"));
  }

  @Test
  void aReplyThatOnlyPartlyMatchesIsNoMatch() {
    assertEquals(Optional.empty(), measure.match("OK peak=521.5"));
    assertEquals(Optional.empty(), measure.match("OK peak=521.5 fwhm=38 extra"));
    assertEquals(Optional.empty(), measure.match("\u0007\u00ff#garbage"));
  }

  @Test
  void textGroupsStayText() {
    ReplyPattern error = ReplyPattern.compile("^ERR (?<message>.*)$");
    assertEquals(Optional.of(Map.of("message", "lamp cold")), error.match("ERR lamp cold"));
  }

  @Test
  void spansTheLinesOfAMultiLineReply() {
    ReplyPattern p = ReplyPattern.compile("^SPECTRUM\\n(?<first>[0-9.]+),.*\\nEND$");
    assertEquals(
        Optional.of(Map.of("first", 0.125)), p.match("SPECTRUM\n0.125,0.5\n0.25,0.75\nEND"));
  }

  @Test
  void anInvalidRegexIsReportedWithWhereItBreaks() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> ReplyPattern.compile("^OK (?<peak>[0-9.]+$"));
    assertTrue(e.getMessage().contains("not a valid regular expression"), e.getMessage());
    assertTrue(e.getMessage().contains("index"), e.getMessage());
  }
}
