package io.labloop.orchestrator.report;

import static io.labloop.orchestrator.report.SvgPlot.esc;
import static io.labloop.orchestrator.report.SvgPlot.f;

import io.labloop.orchestrator.console.CampaignData;
import io.labloop.orchestrator.console.CampaignOutline;
import io.labloop.orchestrator.console.Numbers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A parallel-coordinates view in SVG: one vertical axis per parameter and one for the objective,
 * each experiment a polyline across them, coloured from blue (lowest objective value) to red
 * (highest). Numeric axes span the parameter's range from the campaign file (or the data's);
 * categorical ones space their values evenly.
 */
final class ParallelCoordinates {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 320;
  private static final int TOP = 34;
  private static final int BOTTOM = 30;
  private static final int SIDE = 60;

  private ParallelCoordinates() {}

  static String render(
      CampaignData.Series series,
      CampaignOutline outline,
      List<String> parameters,
      String objective) {
    int axes = parameters.size() + 1;
    List<double[]> ranges = new ArrayList<>();
    List<List<String>> categories = new ArrayList<>();
    for (String p : parameters) {
      CampaignOutline.Parameter info = outline.parameters().get(p);
      boolean categorical = info != null && info.type().equals("categorical");
      categories.add(categorical ? info.values() : List.of());
      if (categorical) {
        ranges.add(new double[] {-0.5, info.values().size() - 0.5});
      } else {
        double[] r = dataRange(series.parameters().get(p));
        if (info != null && Double.isFinite(info.min()) && Double.isFinite(info.max()))
          r = new double[] {info.min(), info.max()};
        ranges.add(r);
      }
    }
    categories.add(List.of());
    List<Double> ys = series.objectives().get(objective);
    double[] yr = dataRange(new ArrayList<>(ys));
    ranges.add(yr);
    StringBuilder s = new StringBuilder();
    s.append("<svg class=\"parallel\" data-objective=\"")
        .append(esc(objective))
        .append("\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(HEIGHT)
        .append("\" width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(HEIGHT)
        .append("\" role=\"img\">");
    for (int i = 0; i < series.seqs().size(); i++) {
      Double y = ys.get(i);
      if (y == null) continue;
      StringBuilder pts = new StringBuilder();
      for (int a = 0; a < axes; a++) {
        Object v = a < parameters.size() ? series.parameters().get(parameters.get(a)).get(i) : y;
        double x =
            categories.get(a).isEmpty() ? number(v) : categories.get(a).indexOf(String.valueOf(v));
        pts.append(f(ax(a, axes))).append(',').append(f(ay(x, ranges.get(a)))).append(' ');
      }
      double t = yr[1] == yr[0] ? 0.5 : (y - yr[0]) / (yr[1] - yr[0]);
      s.append("<polyline class=\"pc\" points=\"")
          .append(pts.toString().strip())
          .append("\" stroke=\"")
          .append(colour(t))
          .append("\"><title>#")
          .append(series.seqs().get(i))
          .append(": ")
          .append(esc(objective))
          .append(" = ")
          .append(Numbers.format(y))
          .append("</title></polyline>");
    }
    for (int a = 0; a < axes; a++) {
      double x = ax(a, axes);
      String name = a < parameters.size() ? parameters.get(a) : objective;
      s.append("<line class=\"axis\" x1=\"")
          .append(f(x))
          .append("\" x2=\"")
          .append(f(x))
          .append("\" y1=\"")
          .append(TOP)
          .append("\" y2=\"")
          .append(HEIGHT - BOTTOM)
          .append("\"/>");
      s.append("<text class=\"xt\" x=\"")
          .append(f(x))
          .append("\" y=\"18\">")
          .append(esc(name))
          .append("</text>");
      double[] r = ranges.get(a);
      if (categories.get(a).isEmpty()) {
        s.append("<text class=\"xt\" x=\"")
            .append(f(x))
            .append("\" y=\"")
            .append(HEIGHT - 12)
            .append("\">")
            .append(Numbers.format(r[0]))
            .append("–")
            .append(Numbers.format(r[1]))
            .append("</text>");
      } else {
        List<String> c = categories.get(a);
        for (int k = 0; k < c.size(); k++) {
          s.append("<text class=\"yt\" x=\"")
              .append(f(x - 4))
              .append("\" y=\"")
              .append(f(ay(k, r) + 4))
              .append("\">")
              .append(esc(c.get(k)))
              .append("</text>");
        }
      }
    }
    return s.append("</svg>").toString();
  }

  private static double ax(int a, int axes) {
    return SIDE + (double) a * (WIDTH - 2 * SIDE) / Math.max(1, axes - 1);
  }

  private static double ay(double v, double[] r) {
    double t = r[1] == r[0] ? 0.5 : (v - r[0]) / (r[1] - r[0]);
    return HEIGHT - BOTTOM - t * (HEIGHT - BOTTOM - TOP);
  }

  private static double[] dataRange(List<?> values) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Object o : values) {
      double v = number(o);
      if (!Double.isFinite(v)) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    if (lo == Double.POSITIVE_INFINITY) return new double[] {0, 1};
    return hi == lo ? new double[] {lo - 1, hi + 1} : new double[] {lo, hi};
  }

  private static double number(Object o) {
    if (o instanceof Number n) return n.doubleValue();
    try {
      return o == null ? Double.NaN : Double.parseDouble(String.valueOf(o));
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** Blue (0) through pale yellow to red (1). */
  static String colour(double t) {
    double[][] stops = {
      {49, 54, 149}, {116, 173, 209}, {254, 224, 144}, {244, 109, 67}, {165, 0, 38}
    };
    double x = Math.max(0, Math.min(1, t)) * (stops.length - 1);
    int i = Math.min(stops.length - 2, (int) Math.floor(x));
    double u = x - i;
    int[] c = new int[3];
    for (int k = 0; k < 3; k++)
      c[k] = (int) Math.round(stops[i][k] + u * (stops[i + 1][k] - stops[i][k]));
    return String.format(Locale.ROOT, "#%02x%02x%02x", c[0], c[1], c[2]);
  }
}
