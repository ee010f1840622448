package io.labloop.simulators.instrument;

import io.labloop.simulators.faults.Fault;
import java.util.Map;

/** What an instrument does about one command; the protocol turns it into bytes on the wire. */
public sealed interface Outcome {

  /** The command ran; these are its outputs, by the names the lab file gives. */
  record Answer(Map<String, Object> outputs) implements Outcome {
    public Answer {
      outputs = Map.copyOf(outputs);
    }
  }

  /** The instrument answers with an error the protocol can carry. */
  record Failure(Reason reason, String message) implements Outcome {}

  /**
   * A fault happens instead of (or, for {@link Fault#GARBAGE}, on top of) the answer: {@code
   * answer} is what a garbled reply was meant to say.
   */
  record Faulted(Fault fault, Map<String, Object> answer) implements Outcome {
    public Faulted {
      answer = Map.copyOf(answer);
    }
  }

  /** Why an instrument said no. */
  enum Reason {
    /** An argument is missing, of the wrong kind or outside what the instrument can do. */
    BAD_ARGUMENT,
    /** A measurer was given a sample id the world does not have. */
    UNKNOWN_SAMPLE,
    /** Another operation is running. */
    BUSY,
    /** The operation was aborted (Abort() or a restart) before it finished. */
    ABORTED,
    /** The instrument refuses the command (a REFUSE fault). */
    REFUSED,
    /** The instrument does not know the command. */
    UNKNOWN_COMMAND
  }
}
