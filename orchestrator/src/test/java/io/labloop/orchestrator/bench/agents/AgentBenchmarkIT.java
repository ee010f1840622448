package io.labloop.orchestrator.bench.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.orchestrator.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code labloop bench agents} with tiny sizes, run as the command line runs it: both sections are
 * printed, the ratio is a number above zero, and every campaign of the site completes its budget
 * with a makespan no shorter than its lower bound.
 */
class AgentBenchmarkIT {

  @Test
  void bothSectionsWithSaneNumbers() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new Main());
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int code =
        cmd.execute(
            "bench",
            "agents",
            "--rounds=2",
            "--per-round=20",
            "--warmup=5",
            "--agents=2",
            "--instruments-per-agent=2",
            "--campaigns=2",
            "--experiments=4",
            "--step=50ms");
    String text = out.toString();
    assertEquals(0, code, () -> text + "\n" + err);
    assertTrue(text.contains("| local serial driver | 40 |"), text);
    assertTrue(text.contains("| through agent (MQTT 5, loopback) | 40 |"), text);
    assertTrue(number(text, "\\| ratio agent / local \\| \\| ([0-9.]+) \\|") > 0, text);
    assertTrue(text.contains("| experiments done per campaign | [4, 4] |"), text);
    assertTrue(number(text, "\\| experiments per second \\(site\\) \\| ([0-9.]+) \\|") > 0, text);
    assertTrue(number(text, "\\| makespan / lower bound \\| ([0-9.]+) \\|") >= 1.0, text);
    assertTrue(number(text, "\\| process CPU time during the run \\| ([0-9.]+) s") > 0, text);
    assertTrue(number(text, "\\| heap used at the end \\| ([0-9.]+) MiB") > 0, text);
  }

  private static double number(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), () -> regex + " in\n" + text);
    return Double.parseDouble(m.group(1));
  }
}
