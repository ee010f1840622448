/**
 * The virtual lab's SiLA 2 server: one simulated instrument offered as a SiLA 2 server (gRPC over
 * HTTP/2 with TLS), with the SiLA Service feature and one feature made from the instrument's
 * section of the lab file. Messages are protobuf dynamic messages built from the SiLA framework's
 * descriptors (compiled from proto/sila2 at build time); the feature's Feature Definition (FDL XML)
 * is generated from the same model, so a generic client can learn it.
 */
@NullMarked
package io.labloop.simulators.sila2;

import org.jspecify.annotations.NullMarked;
