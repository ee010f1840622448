package io.labloop.orchestrator.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One step of a campaign's workflow: a command on an instrument, with arguments.
 *
 * @param id the step's id: its {@code id:} key, else its command name
 * @param instrument the instrument's name in the lab
 * @param command the command's name on that instrument
 * @param args argument name to value
 */
public record WorkflowStep(String id, String instrument, String command, Map<String, Arg> args) {

  public WorkflowStep {
    args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
  }

  /**
   * An argument's value: a literal, a parameter ({@code $temperature}), or an earlier output
   * ({@code $synthesize.sampleId}).
   */
  public sealed interface Arg permits Arg.Literal, Arg.ParameterRef, Arg.OutputArg {
    record Literal(Object value) implements Arg {}

    record ParameterRef(String parameter) implements Arg {}

    record OutputArg(CampaignConfig.OutputRef ref) implements Arg {}
  }
}
