/**
 * {@code labloop report}: one self-contained HTML file about a campaign run, for a lab notebook or
 * an e-mail. The plots are SVG drawn here in Java ({@link io.labloop.orchestrator.report.SvgPlot}),
 * inline in the page, with no script and no reference to any other file or URL, so the report opens
 * the same anywhere, offline, years later. The figures (best so far, Pareto front) come from the
 * same code as the web console's ({@link io.labloop.orchestrator.console}).
 */
@NullMarked
package io.labloop.orchestrator.report;

import org.jspecify.annotations.NullMarked;
