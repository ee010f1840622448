/**
 * Simulated MQTT 5 instruments: a device client (Paho) that answers requests on its topics to each
 * request's Response Topic with the same Correlation Data, and an embedded broker (HiveMQ CE) for
 * labs that do not name an external one, with a TLS listener and a self-signed certificate when the
 * lab gives an {@code ssl://} address.
 */
@NullMarked
package io.labloop.simulators.mqtt;

import org.jspecify.annotations.NullMarked;
