/**
 * Simulated instruments on an OPC UA server (Eclipse Milo 1.0): an object per instrument with
 * State, Temperature and Door variables, a method per lab command with typed input and output
 * arguments, Abort(), security policies None and Basic256Sha256, username/password users.
 */
package io.labloop.simulators.opcua;
