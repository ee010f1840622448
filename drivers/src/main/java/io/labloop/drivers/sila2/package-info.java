/**
 * {@code driver: sila2}: SiLA 2 servers, on grpc-java (the official SiLA 2 Java library is not on
 * Maven Central). No compiled stubs: the SiLA framework's protocol file is compiled into a
 * descriptor set at build time, and every feature's messages are built at run time from the Feature
 * Definition the server publishes through SiLA Service ({@link
 * io.labloop.drivers.sila2.FeatureDefinition}, {@link
 * io.labloop.drivers.sila2.FeatureDescriptors}), so any server's commands and properties can be
 * configured in the lab file. TLS with the server certificate trusted through a trust folder, as
 * for OPC UA ({@link io.labloop.drivers.sila2.ServerTrust}). The server is given by address ({@code
 * server: host:port}) or found by name or UUID ({@code discover:}) through SiLA Server Discovery,
 * DNS-SD over mDNS with JmDNS ({@link io.labloop.drivers.sila2.SilaDiscovery}), its identity then
 * checked with SiLA Service.
 */
@NullMarked
package io.labloop.drivers.sila2;

import org.jspecify.annotations.NullMarked;
