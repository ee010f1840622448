/**
 * A JUnit 5 extension that runs a virtual lab for a test class: free ports, pty links in a
 * temporary folder, everything stopped and removed afterwards. junit-jupiter-api is a provided
 * dependency: the extension is there for the tests of other modules, not for production code.
 */
@NullMarked
package io.labloop.simulators.junit;

import org.jspecify.annotations.NullMarked;
