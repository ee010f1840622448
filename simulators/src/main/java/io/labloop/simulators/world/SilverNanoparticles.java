package io.labloop.simulators.world;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A synthetic but physically plausible model of a polyol/citrate-style silver-nanoparticle
 * synthesis, for campaigns that should feel like chemistry: smooth, interacting responses and a
 * narrow region where a sharp plasmon peak sits at a chosen wavelength.
 *
 * <p>Inputs: {@code temperature} [°C], {@code time} [min], {@code concentration} of AgNO₃ [mM],
 * {@code solvent} (water, ethanol, ethylene-glycol). Outputs: {@code peak} (wavelength of the
 * localized surface plasmon resonance, nm), {@code fwhm} (its full width at half maximum, nm),
 * {@code crystallinity} (fraction of crystalline material seen by XRD, 0..1) and {@code diameter}
 * (mean particle diameter, nm).
 *
 * <p>The model, step by step:
 *
 * <ol>
 *   <li><b>Reduction kinetics.</b> Rate constant {@code k = r · exp(-Ea/R · (1/T − 1/373 K))} with
 *       Ea = 45 kJ/mol (Arrhenius) and r the solvent's reducing power (water 0.5, ethanol 1,
 *       ethylene glycol 2 — the polyol process). Growth progress {@code p = 1 − exp(−k·t/15 min)}.
 *   <li><b>Size.</b> Mass balance: the final diameter grows with the cube root of the precursor
 *       concentration and shrinks with the cube root of the reducing power (fast reduction makes
 *       many nuclei, hence many small particles); Ostwald ripening adds a slow logarithmic growth
 *       once the reduction is over: {@code d = 6 + 62·(c/0.5)^⅓·r^−⅓·p^⅓·(1 + 0.08·ln(1 +
 *       k·t/15))}.
 *   <li><b>Peak.</b> Quasi-static dipole resonance at ≈ 380 nm, red-shifted by the solvent's
 *       refractive index (≈ 180 nm per refractive-index unit above water's 1.333) and by size
 *       (retardation: {@code 1.1·d + 0.0035·d²}); aggregation adds up to 25 nm more.
 *   <li><b>Width.</b> Surface scattering broadens small particles ({@code 400/d}), retardation
 *       broadens large ones ({@code 0.006·d²}); polydispersity adds {@code 350·pd}, where pd is
 *       smallest when the concentration matches the solvent's and temperature's sweet spot {@code
 *       c* = 0.45·√r·(T/373 K)²} (burst nucleation separated from growth — LaMer) and grows
 *       quadratically in {@code ln(c/c*)}; aggregation (long heating past completion, worst in
 *       water) adds up to 60 nm.
 *   <li><b>Crystallinity.</b> Annealing index {@code A = t/20 · exp(−60 kJ/mol/R · (1/T − 1/423 K))
 *       · s} (s: water 0.8, ethanol 1, ethylene glycol 1.3), crystallinity {@code 0.3 + 0.65·(1 −
 *       e^−A) − 0.1·pd}, clipped to [0, 1].
 * </ol>
 *
 * <p>The result: peaks from ≈ 390 nm (small particles, fast reduction) to beyond 600 nm (large or
 * aggregated), with the narrowest peak near 520 nm in a thin ridge of (temperature, time,
 * concentration) for each solvent.
 */
final class SilverNanoparticles implements WorldModel {

  static final String NAME = "silver-nanoparticles";

  private static final double GAS_CONSTANT = 8.314;
  private static final double ZERO_CELSIUS = 273.15;

  private enum Solvent {
    WATER("water", 1.333, 0.5, 1.0, 0.8),
    ETHANOL("ethanol", 1.361, 1.0, 0.7, 1.0),
    ETHYLENE_GLYCOL("ethylene-glycol", 1.432, 2.0, 0.4, 1.3);

    final String label;
    final double refractiveIndex;
    final double reducingPower;
    final double aggregationTendency;
    final double annealing;

    Solvent(
        String label,
        double refractiveIndex,
        double reducingPower,
        double aggregationTendency,
        double annealing) {
      this.label = label;
      this.refractiveIndex = refractiveIndex;
      this.reducingPower = reducingPower;
      this.aggregationTendency = aggregationTendency;
      this.annealing = annealing;
    }

    static Solvent of(String label) {
      for (Solvent s : values()) {
        if (s.label.equals(label)) {
          return s;
        }
      }
      throw new IllegalArgumentException("unknown solvent " + label);
    }
  }

  private static final List<String> SOLVENTS = List.of("water", "ethanol", "ethylene-glycol");

  @Override
  public List<String> inputs() {
    return List.of("temperature", "time", "concentration", "solvent");
  }

  @Override
  public Map<String, List<String>> categories() {
    return Map.of("solvent", SOLVENTS);
  }

  @Override
  public List<String> outputs() {
    return List.of("peak", "fwhm", "crystallinity", "diameter");
  }

  @Override
  public Map<String, Double> evaluate(Map<String, Object> conditions) {
    double celsius = WorldModel.number(conditions, "temperature");
    double minutes = WorldModel.number(conditions, "time");
    double concentration = WorldModel.number(conditions, "concentration");
    Solvent solvent = Solvent.of(WorldModel.category(conditions, "solvent", SOLVENTS));
    if (celsius < -20 || celsius > 400) {
      throw new IllegalArgumentException(
          "temperature " + celsius + " degC is outside what this synthesis can do (-20..400 degC)");
    }
    if (minutes <= 0) {
      throw new IllegalArgumentException("time must be positive, got " + minutes + " min");
    }
    if (concentration <= 0) {
      throw new IllegalArgumentException(
          "concentration must be positive, got " + concentration + " mM");
    }

    double kelvin = celsius + ZERO_CELSIUS;
    double k = solvent.reducingPower * Math.exp(-45_000 / GAS_CONSTANT * (1 / kelvin - 1 / 373.15));
    double elapsed = k * minutes / 15.0;
    double progress = 1 - Math.exp(-elapsed);

    double diameter =
        6
            + 62
                * Math.cbrt(concentration / 0.5)
                / Math.cbrt(solvent.reducingPower)
                * Math.cbrt(progress)
                * (1 + 0.08 * Math.log1p(elapsed));

    double sweetSpot = 0.45 * Math.sqrt(solvent.reducingPower) * Math.pow(kelvin / 373.15, 2);
    double mismatch = Math.log(concentration / sweetSpot) / 0.6;
    double polydispersity = Math.min(0.6, 0.05 + 0.25 * mismatch * mismatch);

    double aggregationIndex =
        solvent.aggregationTendency * Math.max(0, elapsed - 4) * concentration * 0.5;
    double aggregation = 1 - Math.exp(-aggregationIndex / 5);

    double peak =
        380
            + 180 * (solvent.refractiveIndex - 1.333)
            + 1.1 * diameter
            + 0.0035 * diameter * diameter
            + 25 * aggregation;
    double fwhm =
        25 + 400 / diameter + 0.006 * diameter * diameter + 350 * polydispersity + 60 * aggregation;

    double annealingIndex =
        minutes
            / 20
            * Math.exp(-60_000 / GAS_CONSTANT * (1 / kelvin - 1 / 423.15))
            * solvent.annealing;
    double crystallinity =
        Math.max(
            0, Math.min(1, 0.3 + 0.65 * (1 - Math.exp(-annealingIndex)) - 0.1 * polydispersity));

    Map<String, Double> out = new LinkedHashMap<>();
    out.put("peak", peak);
    out.put("fwhm", fwhm);
    out.put("crystallinity", crystallinity);
    out.put("diameter", diameter);
    return out;
  }
}
