/**
 * The few helpers every module needs and that belong to no concept of their own, kept once here
 * instead of copied into each module: {@link io.labloop.common.Threads} (named daemon threads for
 * executors), {@link io.labloop.common.Errors} (the message a person should see of a chain of
 * causes), {@link io.labloop.common.FileNames} (a name made safe as a file name), {@link
 * io.labloop.common.Folders} (a working folder removed) and {@link io.labloop.common.Multicast}
 * (the local address to speak multicast DNS on). Like {@link io.labloop.settings}, this package
 * holds no protocol code.
 */
@NullMarked
package io.labloop.common;

import org.jspecify.annotations.NullMarked;
