/**
 * Simulated instruments on an OPC UA server (Eclipse Milo 1.0): an object per instrument with
 * State, Temperature and Door variables, a method per lab command with typed input and output
 * arguments, Abort(), security policies None, Basic256Sha256 and Aes128_Sha256_RsaOaep (Sign and
 * SignAndEncrypt), username/password users, and optionally a trust list of client certificates.
 *
 * <p>Instruments with {@code driver: lads} appear on the same server as LADS devices (OPC 30500;
 * {@link io.labloop.simulators.opcua.LadsNamespace}): the LADS and DI nodesets are not loaded (Milo
 * 1.0 has no NodeSet2 loader); the device, functional unit, state machine, program manager and
 * result objects are built in the server's own namespace with the browse names of the LADS
 * information model, qualified with the LADS and DI namespace URIs. The nodeset files are kept as
 * data in {@code src/main/resources/lads} (OPC Foundation MIT licence), and a test checks every
 * LADS browse name used here against them.
 */
@NullMarked
package io.labloop.simulators.opcua;

import org.jspecify.annotations.NullMarked;
