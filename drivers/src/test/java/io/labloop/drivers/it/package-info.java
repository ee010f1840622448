/**
 * Integration tests: the drivers against the virtual lab's real servers (Milo OPC UA server,
 * embedded HiveMQ broker, a pseudo-terminal), with faults injected at run time.
 */
package io.labloop.drivers.it;
