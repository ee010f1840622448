/**
 * Simulated instruments on an OPC UA server (Eclipse Milo 1.0): an object per instrument with
 * State, Temperature and Door variables, a method per lab command with typed input and output
 * arguments, Abort(), security policies None, Basic256Sha256 and Aes128_Sha256_RsaOaep (Sign and
 * SignAndEncrypt), username/password users, and optionally a trust list of client certificates.
 */
package io.labloop.simulators.opcua;
