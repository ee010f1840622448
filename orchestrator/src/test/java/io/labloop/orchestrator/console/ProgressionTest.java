package io.labloop.orchestrator.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressionTest {
  private static final CampaignOutline.Goal MAX =
      new CampaignOutline.Goal("yield", "maximize", Double.NaN, "%");
  private static final CampaignOutline.Goal MIN =
      new CampaignOutline.Goal("fwhm", "minimize", Double.NaN, "nm");
  private static final CampaignOutline.Goal TARGET =
      new CampaignOutline.Goal("peak", "target", 520, "nm");

  @Test
  void bestSoFarStepsOnlyWhenItImprovesAndReachesTheLastExperiment() {
    List<Progression.At> values =
        List.of(
            new Progression.At(1, 10),
            new Progression.At(2, 5),
            new Progression.At(3, 12),
            new Progression.At(5, 11));
    assertEquals(
        List.of(new Progression.At(1, 10), new Progression.At(3, 12), new Progression.At(5, 12)),
        Progression.bestSoFar(values, MAX));
    assertEquals(
        List.of(new Progression.At(1, 10), new Progression.At(2, 5), new Progression.At(5, 5)),
        Progression.bestSoFar(values, MIN));
    List<Progression.At> peaks =
        List.of(new Progression.At(1, 480), new Progression.At(2, 530), new Progression.At(3, 515));
    assertEquals(
        List.of(new Progression.At(1, 480), new Progression.At(2, 530), new Progression.At(3, 515)),
        Progression.bestSoFar(peaks, TARGET),
        "closer to 520 is better");
  }

  @Test
  void paretoFrontKeepsWhatNothingBeatsOnBoth() {
    List<Progression.Pair> points =
        List.of(
            new Progression.Pair(1, 90, 30),
            new Progression.Pair(2, 80, 20),
            new Progression.Pair(3, 70, 25),
            new Progression.Pair(4, 95, 40),
            new Progression.Pair(5, 60, 10));
    // maximise the first, minimise the second: #3 is beaten by #2 (higher yield, lower fwhm).
    List<Integer> front =
        Progression.paretoFront(points, MAX, MIN).stream().map(Progression.Pair::seq).toList();
    assertEquals(List.of(5, 2, 1, 4), front);
  }

  @Test
  void downsamplingKeepsWhatMattersAndTheNewestAndStaysUnderTheLimit() {
    int[] all = Downsampling.choose(50, 100, List.of());
    assertEquals(50, all.length, "under the limit everything is shown");
    int[] chosen = Downsampling.choose(10_000, 2_000, List.of(3, 4_321));
    assertTrue(
        chosen.length <= 2_000 && chosen.length > 1_900, "about the limit: " + chosen.length);
    assertTrue(
        Arrays.binarySearch(chosen, 3) >= 0 && Arrays.binarySearch(chosen, 4_321) >= 0,
        "kept points stay");
    assertTrue(Arrays.binarySearch(chosen, 9_999) >= 0, "the newest experiment is always shown");
  }
}
