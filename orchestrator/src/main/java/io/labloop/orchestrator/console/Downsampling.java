package io.labloop.orchestrator.console;

import java.util.BitSet;
import java.util.List;

/**
 * Which experiments a plot shows when there are more than a browser should draw.
 *
 * <p>Up to the limit every experiment is shown. Above it the ones a person looks for are kept
 * first, then the rest is thinned evenly: (1) the {@code keep} experiments (where a best so far
 * improved, the Pareto front), (2) the most recent ones, so a running campaign's newest result is
 * always visible, (3) an even stride through the remainder, so the cloud keeps its shape. A scatter
 * of 2,000 points shows the same picture as one of 10,000, and the page stays fast.
 */
public final class Downsampling {
  private Downsampling() {}

  /** How many of the newest experiments are always kept. */
  static final int RECENT = 100;

  /**
   * @param count the number of candidates (indexes 0..count-1, in experiment order)
   * @param limit at most this many are chosen (unless {@code keep} alone has more)
   * @param keep indexes that must be chosen
   * @return the chosen indexes, ascending
   */
  public static int[] choose(int count, int limit, List<Integer> keep) {
    if (count <= limit) {
      int[] all = new int[count];
      for (int i = 0; i < count; i++) all[i] = i;
      return all;
    }
    BitSet chosen = new BitSet(count);
    keep.forEach(
        i -> {
          if (i >= 0 && i < count) chosen.set(i);
        });
    for (int i = Math.max(0, count - RECENT); i < count; i++) chosen.set(i);
    int room = limit - chosen.cardinality();
    if (room > 0) {
      double stride = (double) count / room;
      for (int k = 0; k < room; k++) chosen.set((int) Math.floor(k * stride));
    }
    return chosen.stream().toArray();
  }
}
