package io.labloop.simulators.opcua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labloop.simulators.VirtualLab;
import io.labloop.simulators.faults.Fault;
import io.labloop.simulators.junit.VirtualLabExtension;
import io.labloop.simulators.world.Sample;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The simulated robot, driven by a plain Milo client. */
class OpcUaInstrumentIT {

  @RegisterExtension
  static VirtualLabExtension sim = VirtualLabExtension.fromResource("labs/test-lab.yaml");

  private static final String ROBOT = "ns=2;s=Robot";
  private static final String SYNTHESIZE = "ns=2;s=Robot.Synthesize";

  private OpcUaTestClient client;

  @BeforeEach
  void connect() throws Exception {
    sim.lab().faults("robot").clear();
    client =
        OpcUaTestClient.connect(
            sim.lab().endpoint("robot").address(), SecurityPolicy.None, null, null, 2_000);
  }

  @AfterEach
  void disconnect() throws Exception {
    client.close();
  }

  @Test
  void synthesizeMakesASampleWithTheWorldModelsProperties() throws Exception {
    CallMethodResult result = client.call(ROBOT, SYNTHESIZE, 120.0, 20.0, 0.8, "ethylene-glycol");

    assertTrue(result.getStatusCode().isGood(), result.getStatusCode().toString());
    String sampleId = (String) result.getOutputArguments()[0].getValue();
    double achieved = (Double) result.getOutputArguments()[1].getValue();
    assertEquals(120.0, achieved, 2.5, "achieved temperature within 5 sigma of the set point");
    Sample sample = sim.lab().world().sample(sampleId).orElseThrow();
    assertEquals("ethylene-glycol", sample.conditions().get("solvent"));
    assertTrue(
        sample.truth().get("peak") > 380 && sample.truth().get("peak") < 700,
        sample.truth().toString());
    assertEquals("Idle", client.read("ns=2;s=Robot.State"));
  }

  @Test
  void badArgumentsGiveBadStatusCodes() throws Exception {
    CallMethodResult wrongType = client.call(ROBOT, SYNTHESIZE, "hot", 20.0, 0.8, "water");
    CallMethodResult negativeTime = client.call(ROBOT, SYNTHESIZE, 120.0, -5.0, 0.8, "water");
    CallMethodResult unknownSolvent = client.call(ROBOT, SYNTHESIZE, 120.0, 20.0, 0.8, "acetone");
    CallMethodResult missing = client.call(ROBOT, SYNTHESIZE, 120.0, 20.0);

    assertTrue(wrongType.getStatusCode().isBad());
    assertEquals(StatusCodes.Bad_InvalidArgument, negativeTime.getStatusCode().getValue());
    assertEquals(StatusCodes.Bad_InvalidArgument, unknownSolvent.getStatusCode().getValue());
    assertTrue(missing.getStatusCode().isBad());
  }

  @Test
  void argumentsHaveTheTypesTheLabFileDeclares() throws Exception {
    assertTrue(
        client.call(ROBOT, "ns=2;s=Robot.Rinse", 3).getStatusCode().isGood(), "Int32 as declared");
    assertTrue(
        client.call(ROBOT, "ns=2;s=Robot.Rinse", 3.0).getStatusCode().isBad(),
        "a Double is refused");
    assertEquals(
        1,
        sim.lab().journal("robot").stream().filter(c -> c.command().equals("rinse")).count(),
        "a call with a mistyped argument never reaches the instrument");
  }

  @Test
  void processVariablesFollowTheInstrument() throws Exception {
    assertEquals("Closed", client.read("ns=2;s=Robot.Door"));
    assertEquals(25.0, client.read("ns=2;s=Robot.Temperature"));

    sim.lab().setVariable("robot", "Door", "Open");
    try {
      assertEquals("Open", client.read("ns=2;s=Robot.Door"));
    } finally {
      sim.lab().setVariable("robot", "Door", "Closed");
    }
  }

  @Test
  void everyFaultKindShowsOnTheWire() throws Exception {
    VirtualLab lab = sim.lab();
    long before = lab.received("robot", "synthesize");

    lab.faults("robot").next(Fault.REFUSE);
    assertEquals(
        StatusCodes.Bad_InvalidState,
        client.call(ROBOT, SYNTHESIZE, 100.0, 10.0, 0.5, "water").getStatusCode().getValue());

    lab.faults("robot").next(Fault.GARBAGE);
    CallMethodResult garbage = client.call(ROBOT, SYNTHESIZE, 100.0, 10.0, 0.5, "water");
    assertInstanceOf(
        ByteString.class,
        garbage.getOutputArguments()[0].getValue(),
        "bytes where a String was promised");

    lab.faults("robot").next(Fault.TIMEOUT);
    assertEquals(
        StatusCodes.Bad_Timeout,
        status(() -> client.call(ROBOT, SYNTHESIZE, 100.0, 10.0, 0.5, "water")));

    // The session is dropped while the call is handled: the answer never comes back on it.
    lab.faults("robot").next(Fault.DISCONNECT);
    long dropped = status(() -> client.call(ROBOT, SYNTHESIZE, 100.0, 10.0, 0.5, "water"));
    assertTrue(
        dropped == StatusCodes.Bad_SessionIdInvalid || dropped == StatusCodes.Bad_SessionClosed,
        "session dropped, got 0x" + Long.toHexString(dropped));

    client.close();
    client = OpcUaTestClient.connect(lab.endpoint("robot").address());
    lab.faults("robot").next(Fault.RESTART);
    long restarted = status(() -> client.call(ROBOT, SYNTHESIZE, 100.0, 10.0, 0.5, "water"));
    assertTrue(
        restarted == StatusCodes.Bad_SessionIdInvalid || restarted == StatusCodes.Bad_SessionClosed,
        "a restart drops the session, got 0x" + Long.toHexString(restarted));

    // A client that connects again finds the instrument working.
    client.close();
    client = OpcUaTestClient.connect(lab.endpoint("robot").address());
    CallMethodResult after = client.call(ROBOT, SYNTHESIZE, 100.0, 10.0, 0.5, "water");
    assertTrue(
        after.getStatusCode().isGood(),
        "the instrument works again after the faults: " + after.getStatusCode());
    assertFalse(((String) after.getOutputArguments()[0].getValue()).isBlank());
    assertEquals(
        before + 6, lab.received("robot", "synthesize"), "every call reached the instrument once");
  }

  /** The status of a call, whether it came back as a result or as a service fault. */
  static long status(java.util.concurrent.Callable<CallMethodResult> call) {
    try {
      return call.call().getStatusCode().getValue();
    } catch (UaException e) {
      return e.getStatusCode().getValue();
    } catch (Exception e) {
      Throwable cause = e;
      while (cause.getCause() != null && !(cause instanceof UaException)) {
        cause = cause.getCause();
      }
      if (cause instanceof UaException ua) {
        return ua.getStatusCode().getValue();
      }
      throw new AssertionError("neither a result nor an OPC UA status", e);
    }
  }
}
