package io.labloop.planners;

import java.util.List;

/**
 * The only combinations that can be made (e.g. the rows of a CSV of available reagents).
 *
 * @param rows the candidate points, each assigning every parameter of the space
 * @param source where the rows came from, for messages
 */
public record CandidatePool(List<Point> rows, String source) {
  public CandidatePool {
    rows = List.copyOf(rows);
    if (rows.isEmpty())
      throw new IllegalArgumentException("candidate pool " + source + " is empty");
  }
}
