package io.labloop.simulators.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TemplatePatternTest {

  @Test
  void placeholdersCarryArgumentsAndLiteralsMatchCaseInsensitively() {
    List<String> names = new ArrayList<>();
    Pattern p = SerialDevice.templatePattern("SYNTH T={temperature} {time} {solvent}", names);
    assertEquals(List.of("temperature", "time", "solvent"), names);
    Matcher m = p.matcher("synth t=120.5   30 ethylene glycol");
    assertTrue(m.matches());
    assertEquals("120.5", m.group(1));
    assertEquals("ethylene glycol", m.group(3), "the last placeholder takes the rest of the line");
    assertFalse(p.matcher("SYNTHX T=1 2 3").matches());
  }
}
