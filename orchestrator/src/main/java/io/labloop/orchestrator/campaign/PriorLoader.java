package io.labloop.orchestrator.campaign;

import io.labloop.orchestrator.config.CampaignConfig;
import io.labloop.orchestrator.config.CampaignConfig.PriorSource;
import io.labloop.orchestrator.store.ObservationRecord;
import io.labloop.orchestrator.store.RunRecord;
import io.labloop.orchestrator.store.Store;
import io.labloop.planners.Observation;
import io.labloop.planners.PriorData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The campaign's prior data as the planner gets them. Rows from a file were read and checked with
 * the campaign file; a {@code { campaign: NAME }} entry is resolved here, when the run starts, from
 * the store: the observations of that campaign's latest run, measured or failed.
 *
 * <p>Checks, because an earlier campaign may have been set up differently: it must exist and have a
 * run; every parameter and objective of this campaign must be in it, with the same unit as its
 * stored campaign file gives (nothing is converted) — else the run does not start. Observations
 * outside this campaign's space (an earlier campaign may have searched wider) are left out and
 * counted in the note the run records.
 */
final class PriorLoader {

  private PriorLoader() {}

  /** What was loaded, and a note per source for the run's event log. */
  record Loaded(List<PriorData> data, List<String> notes) {}

  static Loaded load(CampaignConfig campaign, Store store) {
    List<PriorData> data = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (PriorSource source : campaign.priorData()) {
      String task = source.task().isEmpty() ? "" : " as task '" + source.task() + "'";
      if (source instanceof PriorSource.FromFile f) {
        data.add(new PriorData("file " + f.file().getFileName(), f.task(), f.observations()));
        notes.add(
            "prior data: "
                + f.observations().size()
                + " observations from file "
                + f.file().getFileName()
                + task);
      } else if (source instanceof PriorSource.FromCampaign c) {
        data.add(fromCampaign(campaign, c, store, notes, task));
      }
    }
    return new Loaded(data, notes);
  }

  private static PriorData fromCampaign(
      CampaignConfig campaign,
      PriorSource.FromCampaign source,
      Store store,
      List<String> notes,
      String task) {
    String name = source.campaign();
    if (name.equals(campaign.name()))
      throw new CampaignProblem(
          "prior-data names campaign " + name + " itself (expected an earlier campaign)");
    RunRecord run =
        store
            .latestRun(name)
            .orElseThrow(
                () ->
                    new CampaignProblem(
                        "prior-data: no campaign '"
                            + name
                            + "' with a run in the store (expected the name of an earlier"
                            + " campaign run with this store)"));
    Map<String, String> units = units(store.campaignText(run.campaignSha256()).orElse(""));
    Map<String, String> wanted = new LinkedHashMap<>();
    campaign.space().parameters().forEach(p -> wanted.put(p.name(), p.unit()));
    campaign.objectives().forEach(o -> wanted.put(o.objective().name(), o.unit()));
    wanted.forEach(
        (key, unit) -> {
          if (!units.containsKey(key))
            throw new CampaignProblem(
                "prior-data: campaign " + name + " has no parameter or objective '" + key + "'");
          if (!units.get(key).equals(unit))
            throw new CampaignProblem(
                "prior-data: campaign "
                    + name
                    + " measured "
                    + key
                    + " in "
                    + text(units.get(key))
                    + ", this campaign in "
                    + text(unit)
                    + " (nothing is converted)");
        });
    List<Observation> kept = new ArrayList<>();
    int outside = 0;
    for (ObservationRecord r : store.observations(run.id())) {
      Observation o = r.observation();
      if (!campaign.space().contains(o.point())) {
        outside++;
        continue;
      }
      kept.add(o);
    }
    notes.add(
        "prior data: "
            + kept.size()
            + " observations from campaign "
            + name
            + " (run "
            + run.id()
            + ")"
            + task
            + (outside > 0 ? "; " + outside + " outside this campaign's space left out" : ""));
    return new PriorData("campaign " + name, source.task(), kept);
  }

  private static String text(String unit) {
    return unit.isEmpty() ? "no unit" : unit;
  }

  /** Parameter and objective names with their units, from a stored campaign file. */
  @SuppressWarnings("unchecked")
  private static Map<String, String> units(String yaml) {
    Map<String, String> out = new LinkedHashMap<>();
    Object doc =
        yaml.isBlank() ? null : new Load(LoadSettings.builder().build()).loadFromString(yaml);
    Map<String, Object> root = doc instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    if (root.get("parameters") instanceof Map<?, ?> ps)
      ps.forEach((k, v) -> out.put(String.valueOf(k), unit(v)));
    if (root.get("objectives") instanceof List<?> os)
      for (Object o : os)
        if (o instanceof Map<?, ?> om && om.get("name") != null)
          out.put(String.valueOf(om.get("name")), unit(om));
    return out;
  }

  private static String unit(Object v) {
    return v instanceof Map<?, ?> m && m.get("unit") != null ? String.valueOf(m.get("unit")) : "";
  }
}
