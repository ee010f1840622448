package io.labloop.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.labloop.orchestrator.store.RunLock;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to run and export: a clear error and exit code 2, nothing written. */
class RunCommandTest {

  @TempDir Path dir;

  @Test
  void aMissingCampaignFileIsBadInput() {
    assertEquals(
        ExitCodes.BAD_INPUT,
        Main.run(
            "run", dir.resolve("nope.yaml").toString(), "--data", dir.resolve("data").toString()));
    assertEquals(false, Files.exists(dir.resolve("data")));
  }

  @Test
  void aCampaignWithProblemsIsBadInput() throws Exception {
    Path campaign = dir.resolve("bad.yaml");
    Files.writeString(campaign, "campaign: bad\nlab: missing-lab.yaml\nparameters: {}\n");
    assertEquals(
        ExitCodes.BAD_INPUT,
        Main.run("run", campaign.toString(), "--data", dir.resolve("data").toString()));
    assertEquals(false, Files.exists(dir.resolve("data")));
  }

  @Test
  void aCampaignAlreadyRunningOnTheDataFolderIsNotRunTwice() throws Exception {
    for (String f : new String[] {"campaign.yaml", "lab.yaml"}) {
      try (var in = RunCommandTest.class.getResourceAsStream("/daemon/" + f)) {
        Files.write(dir.resolve(f), in.readAllBytes());
      }
    }
    Path data = dir.resolve("data");
    // the daemon, or another 'labloop run', runs daemon-silver on this data folder
    try (RunLock other = RunLock.tryAcquire(data, "daemon-silver").orElseThrow()) {
      assertEquals(
          ExitCodes.FAILURE,
          Main.run("run", dir.resolve("campaign.yaml").toString(), "--data", data.toString()));
    }
    assertEquals(
        false, Files.exists(data.resolve("labloop.db")), "refused before the store was touched");
  }

  @Test
  void exportOfAnUnknownStoreOrCampaignIsBadInput() {
    assertEquals(
        ExitCodes.BAD_INPUT,
        Main.run("export", "silver", "--data", dir.resolve("none").toString(), "--format", "csv"));
    assertEquals(
        ExitCodes.BAD_INPUT,
        Main.run("export", "silver", "--data", dir.toString(), "--format", "xml"));
  }
}
