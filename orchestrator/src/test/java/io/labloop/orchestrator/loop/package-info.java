/** Integration tests of the whole loop on the virtual lab: end to end, crash and resume, faults. */
package io.labloop.orchestrator.loop;
