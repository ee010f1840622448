package io.labloop.orchestrator.report;

import io.labloop.orchestrator.console.Numbers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small scatter/line chart written as inline SVG: axes with round-number ticks, points with a
 * hover text ({@code <title>}), step lines and polylines. The x axis is numeric or a list of
 * categories. Enough for a report; no script, no external reference (inline SVG in HTML needs no
 * namespace declaration, so not even the SVG namespace URL appears).
 */
public final class SvgPlot {
  static final int WIDTH = 520;
  static final int HEIGHT = 300;
  private static final int LEFT = 62;
  private static final int RIGHT = 14;
  private static final int TOP = 28;
  private static final int BOTTOM = 44;

  /** A point with its CSS class (obs, fail, best, front) and hover text. */
  public record Dot(double x, double y, String cssClass, String title) {}

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final List<String> categories;
  private final List<Dot> dots = new ArrayList<>();
  private final List<Line> lines = new ArrayList<>();

  private record Line(List<double[]> points, String cssClass, boolean steps) {}

  /**
   * @param categories the x axis's categories, or empty for a numeric x axis
   */
  public SvgPlot(String title, String xLabel, String yLabel, List<String> categories) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
    this.categories = List.copyOf(categories);
  }

  public SvgPlot dot(double x, double y, String cssClass, String hover) {
    if (Double.isFinite(x) && Double.isFinite(y)) dots.add(new Dot(x, y, cssClass, hover));
    return this;
  }

  /**
   * A line through the points; with {@code steps}, horizontal then vertical (a best-so-far curve).
   */
  public SvgPlot line(List<double[]> points, String cssClass, boolean steps) {
    lines.add(new Line(List.copyOf(points), cssClass, steps));
    return this;
  }

  /**
   * The SVG element; {@code attributes} go on it (e.g. {@code class="plot" data-objective="peak"}).
   */
  public String render(String attributes) {
    double[] xr =
        range(
            categories.isEmpty() ? xs() : new double[] {-0.5, categories.size() - 0.5},
            categories.isEmpty());
    double[] yr = range(ys(), true);
    StringBuilder s = new StringBuilder();
    s.append("<svg ")
        .append(attributes)
        .append(" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(HEIGHT)
        .append("\" width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(HEIGHT)
        .append("\" role=\"img\">");
    s.append("<title>").append(esc(title)).append("</title>");
    s.append(text(LEFT, 16, title, "t"));
    int x0 = LEFT;
    int x1 = WIDTH - RIGHT;
    int y0 = HEIGHT - BOTTOM;
    int y1 = TOP;
    s.append("<rect x=\"")
        .append(x0)
        .append("\" y=\"")
        .append(y1)
        .append("\" width=\"")
        .append(x1 - x0)
        .append("\" height=\"")
        .append(y0 - y1)
        .append("\" class=\"frame\"/>");
    for (double t : ticks(yr[0], yr[1])) {
      double py = py(t, yr);
      s.append("<line x1=\"")
          .append(x0)
          .append("\" x2=\"")
          .append(x1)
          .append("\" y1=\"")
          .append(f(py))
          .append("\" y2=\"")
          .append(f(py))
          .append("\" class=\"grid\"/>");
      s.append(text(x0 - 6, py + 4, Numbers.format(t), "yt"));
    }
    if (categories.isEmpty()) {
      for (double t : ticks(xr[0], xr[1])) {
        double px = px(t, xr);
        s.append(text(px, y0 + 16, Numbers.format(t), "xt"));
      }
    } else {
      for (int i = 0; i < categories.size(); i++)
        s.append(text(px(i, xr), y0 + 16, categories.get(i), "xt"));
    }
    s.append(text((x0 + x1) / 2.0, HEIGHT - 8, xLabel, "xl"));
    s.append("<text class=\"yl\" transform=\"translate(14 ")
        .append((y0 + y1) / 2)
        .append(") rotate(-90)\">")
        .append(esc(yLabel))
        .append("</text>");
    for (Line l : lines) {
      if (l.points().isEmpty()) continue;
      StringBuilder d = new StringBuilder();
      double lastY = Double.NaN;
      for (double[] p : l.points()) {
        double px = px(p[0], xr);
        double py = py(p[1], yr);
        if (d.length() == 0) d.append('M').append(f(px)).append(' ').append(f(py));
        else if (l.steps()) d.append(" H").append(f(px)).append(" V").append(f(py));
        else d.append(" L").append(f(px)).append(' ').append(f(py));
        lastY = py;
      }
      s.append("<path d=\"").append(d).append("\" class=\"").append(l.cssClass()).append("\"/>");
    }
    for (Dot dot : dots) {
      double px = px(dot.x(), xr);
      double py = py(dot.y(), yr);
      if (dot.cssClass().equals("fail")) {
        s.append("<path class=\"fail\" d=\"M")
            .append(f(px - 4))
            .append(' ')
            .append(f(py - 4))
            .append(" l8 8 m0 -8 l-8 8\"><title>")
            .append(esc(dot.title()))
            .append("</title></path>");
      } else {
        s.append("<circle class=\"")
            .append(dot.cssClass())
            .append("\" cx=\"")
            .append(f(px))
            .append("\" cy=\"")
            .append(f(py))
            .append("\" r=\"3.2\"><title>")
            .append(esc(dot.title()))
            .append("</title></circle>");
      }
    }
    s.append("</svg>");
    return s.toString();
  }

  private double[] xs() {
    List<Double> out = new ArrayList<>();
    dots.forEach(d -> out.add(d.x()));
    lines.forEach(l -> l.points().forEach(p -> out.add(p[0])));
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private double[] ys() {
    List<Double> out = new ArrayList<>();
    dots.forEach(d -> out.add(d.y()));
    lines.forEach(l -> l.points().forEach(p -> out.add(p[1])));
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Data range with 5% room each side (or ±1 around a single value). */
  private static double[] range(double[] v, boolean pad) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      if (!Double.isFinite(x)) continue;
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    if (lo == Double.POSITIVE_INFINITY) return new double[] {0, 1};
    if (hi == lo) return new double[] {lo - 1, hi + 1};
    double m = pad ? (hi - lo) * 0.05 : 0;
    return new double[] {lo - m, hi + m};
  }

  /** About five round ticks (1, 2 or 5 times a power of ten apart) inside [lo, hi]. */
  static List<Double> ticks(double lo, double hi) {
    double span = hi - lo;
    double step = Math.pow(10, Math.floor(Math.log10(span / 5)));
    double[] mult = {1, 2, 5, 10};
    for (double m : mult) {
      if (span / (step * m) <= 6) {
        step *= m;
        break;
      }
    }
    List<Double> out = new ArrayList<>();
    for (double t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
      out.add(Math.abs(t) < step * 1e-9 ? 0 : t);
    return out;
  }

  private static double px(double x, double[] r) {
    return LEFT + (x - r[0]) / (r[1] - r[0]) * (WIDTH - LEFT - RIGHT);
  }

  private static double py(double y, double[] r) {
    return HEIGHT - BOTTOM - (y - r[0]) / (r[1] - r[0]) * (HEIGHT - BOTTOM - TOP);
  }

  private static String text(double x, double y, String t, String cssClass) {
    return "<text class=\""
        + cssClass
        + "\" x=\""
        + f(x)
        + "\" y=\""
        + f(y)
        + "\">"
        + esc(t)
        + "</text>";
  }

  static String f(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  static String esc(String s) {
    if (s == null) return "";
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
