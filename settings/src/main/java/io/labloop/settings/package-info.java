/**
 * Reading what people write, shared by the orchestrator's config files, the drivers' instrument
 * sections and the virtual lab's {@code simulation:} block, so that all three report problems the
 * same way:
 *
 * <ul>
 *   <li>{@link io.labloop.settings.SettingsProblem}: a problem at a path of keys in a section (the
 *       orchestrator turns the path into the file's line and column);
 *   <li>{@link io.labloop.settings.Section}: reads one map of a section, collecting every problem
 *       instead of stopping at the first; {@link io.labloop.settings.Durations}: {@code 30s};
 *   <li>{@link io.labloop.settings.Spelling}: "did you mean" for a mistyped name;
 *   <li>{@link io.labloop.settings.CsvTable}: CSV tables (RFC 4180, through Jackson's CSV parser)
 *       with every cell's line and column.
 * </ul>
 *
 * <p>This module holds no protocol code and depends on nothing of LabLoop's, so the drivers and the
 * virtual lab can both use it and still share nothing else: the virtual lab plays instruments the
 * way a third-party device would, without the drivers' code.
 */
@NullMarked
package io.labloop.settings;

import org.jspecify.annotations.NullMarked;
