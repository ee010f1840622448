/**
 * Issue 14's guard: property-based and fuzz tests (jqwik) over everything that reads what a user or
 * a token holder sends: the YAML readers, the expression checker, the candidate CSV reader and the
 * API's request parsing. The invariant is the same everywhere: any input gives a result or a
 * positioned problem within a time bound, never an exception or a hang. Each target runs a fixed
 * number of tries sized to a few seconds, in {@code mvn -B verify}; an input that ever broke the
 * invariant is kept under {@code src/test/resources/fuzz/TARGET/} and replayed by {@link
 * io.labloop.orchestrator.fuzz.FuzzRegressionTest}.
 */
package io.labloop.orchestrator.fuzz;
