/** Placeholder. */
package io.labloop.simulators;
