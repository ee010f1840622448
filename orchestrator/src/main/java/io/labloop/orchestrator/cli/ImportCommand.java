package io.labloop.orchestrator.cli;

import io.labloop.orchestrator.crate.CrateImport;
import io.labloop.orchestrator.store.Store;
import io.labloop.orchestrator.store.StoreException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code labloop import CRATE}: a campaign's observations from an RO-Crate into the store, for a
 * warm start.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Import the observations of an RO-Crate written by 'labloop export --format ro-crate' (a folder or a .zip) "
          + "into the data folder, as a new run of the crate's campaign. 'labloop run' with the same campaign text resumes "
          + "that run: the planner starts from the imported observations, which do not use up the experiment budget."
    })
public final class ImportCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "CRATE", description = "The crate folder or zip.")
  Path crate;

  @Mixin DataOptions data = new DataOptions();

  @Override
  public Integer call() {
    try (Store store = Store.open(data.location())) {
      CrateImport.Result r = new CrateImport().into(store, crate);
      System.out.println(
          "imported "
              + r.observations()
              + " observations of campaign "
              + r.campaign()
              + " as run "
              + r.runId()
              + "; 'labloop run' with the campaign file of the crate resumes it from them");
      return ExitCodes.OK;
    } catch (NoSuchFileException e) {
      throw new UserError("no such file: " + e.getMessage());
    } catch (IOException e) {
      throw new UserError("cannot read the crate " + crate + ": " + e.getMessage());
    } catch (CrateImport.CrateProblem e) {
      throw new UserError(e.getMessage());
    } catch (StoreException e) {
      throw new UserError(e.getMessage(), ExitCodes.FAILURE);
    }
  }
}
