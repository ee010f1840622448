package io.labloop.orchestrator.crate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The names, kinds and units a crate needs, read from the campaign text stored with the run (not
 * from the file on disk, which may have been edited since), and the instruments' drivers from the
 * lab text when there is one. The texts were checked when the run started, so this reads leniently.
 */
record CampaignTerms(List<Term> parameters, List<Term> objectives, boolean manualApproval) {

  /** A parameter or objective: its name, unit ("" when none) and whether it is a number. */
  record Term(String name, String unit, boolean numeric) {}

  @SuppressWarnings("unchecked")
  static CampaignTerms of(String campaignYaml) {
    Map<String, Object> root =
        map(new Load(LoadSettings.builder().build()).loadFromString(campaignYaml));
    List<Term> parameters = new ArrayList<>();
    map(root.get("parameters"))
        .forEach(
            (k, v) -> {
              Map<String, Object> p = map(v);
              String type = String.valueOf(p.getOrDefault("type", "continuous"));
              parameters.add(new Term(k, text(p.get("unit")), !type.equals("categorical")));
            });
    List<Term> objectives = new ArrayList<>();
    if (root.get("objectives") instanceof List<?> os) {
      for (Object o : os) {
        Map<String, Object> om = map(o);
        if (om.get("name") != null)
          objectives.add(new Term(String.valueOf(om.get("name")), text(om.get("unit")), true));
      }
    }
    return new CampaignTerms(
        List.copyOf(parameters),
        List.copyOf(objectives),
        "manual".equals(text(root.get("approval"))));
  }

  /** The unit of a parameter or objective, "" if it has none or is unknown. */
  String unit(String name) {
    for (Term t : parameters) if (t.name().equals(name)) return t.unit();
    for (Term t : objectives) if (t.name().equals(name)) return t.unit();
    return "";
  }

  /** Instrument name to its {@code driver:}, from the lab text. */
  Map<String, String> instrumentDrivers(Optional<String> labYaml) {
    Map<String, String> drivers = new LinkedHashMap<>();
    labYaml.ifPresent(
        text -> {
          Map<String, Object> root =
              map(new Load(LoadSettings.builder().build()).loadFromString(text));
          map(root.get("instruments"))
              .forEach(
                  (k, v) -> {
                    Object d = map(v).get("driver");
                    if (d != null) drivers.put(k, String.valueOf(d));
                  });
        });
    return drivers;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    if (!(o instanceof Map<?, ?> m)) return Map.of();
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }

  private static String text(Object o) {
    return o == null ? "" : String.valueOf(o);
  }
}
