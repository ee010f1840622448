/**
 * The OPC UA driver ({@code driver: opcua}, Eclipse Milo 1.0 client).
 *
 * <p>Instrument keys: {@code endpoint} (required, {@code opc.tcp://host:port/path}), {@code
 * security} ({@code policy: None | Basic256Sha256 | Aes128_Sha256_RsaOaep}, {@code mode: Sign |
 * SignAndEncrypt} (default SignAndEncrypt when the policy is not None), {@code username}, {@code
 * password}, {@code trust-dir} (default {@code <data dir>/opcua/pki})), {@code variables} (name to
 * node id, for {@code read()}: {@code { Door: "ns=2;s=Robot.Door" }}), {@code commands}.
 *
 * <p>A command is any of these steps, run in this order:
 *
 * <ul>
 *   <li>{@code write}: a list of {@code { node, value, type? }}; {@code value} is a template
 *       ({@code "{temperature}"} keeps the argument's type);
 *   <li>{@code method: { object, method }} with {@code inputs}, the arguments passed in order, each
 *       a name or {@code { name, type }};
 *   <li>{@code trigger: { node, value, type? }}: one more write, e.g. a Start flag;
 *   <li>{@code until: { node, equals }}: wait, through a subscription, until the variable has that
 *       value (e.g. the robot's state is {@code Idle} again).
 * </ul>
 *
 * {@code outputs} lists a method's output arguments by position (names), and/or variables read when
 * the command is done ({@code { name: sampleId, node: "ns=2;s=Robot.SampleId" }}). Types: {@code
 * Boolean, SByte, Byte, Int16, UInt16, Int32, UInt32, Int64, UInt64, Float, Double, String};
 * without one, a number is sent as Double (Int64 for whole-number arguments given as Long), text as
 * String, true/false as Boolean.
 *
 * <p>Security: policy None, Basic256Sha256 or Aes128_Sha256_RsaOaep, mode Sign or SignAndEncrypt.
 * The client's certificate is created on first use in {@code <trust-dir>/client.p12}, with the
 * certificate alone (no key) beside it as {@code client.der}: a server that keeps a trust list must
 * trust that file, and when such a server refuses the connection the error names it and its SHA-1
 * thumbprint (status ERROR: retrying alone will not help). A server certificate is accepted only if
 * it is in {@code <trust-dir>/trusted/certs}; an unknown one is written to {@code
 * <trust-dir>/rejected} and the error says which file to move where. Instruments with the same
 * endpoint, security and user share one session; Milo reconnects it after a loss, and the
 * subscriptions of {@code until} are created per wait so none is left stale by a server restart.
 */
@NullMarked
package io.labloop.drivers.opcua;

import org.jspecify.annotations.NullMarked;
