/**
 * Reading what people write, shared by the orchestrator's config files, the drivers' and the
 * virtual lab's settings: CSV tables with every cell's line and column ({@link
 * io.labloop.settings.CsvTable}). This module holds no protocol code, so that the virtual lab
 * and the drivers can both use it and still share nothing else.
 */
package io.labloop.settings;
