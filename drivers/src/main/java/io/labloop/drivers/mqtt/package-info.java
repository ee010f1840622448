/**
 * The MQTT 5 request/response driver ({@code driver: mqtt}, Eclipse Paho v5): a command publishes a
 * JSON payload to its request topic with a Response Topic and Correlation Data, and completes when
 * a message with the same correlation data arrives on the response topic.
 *
 * <p>Instrument keys: {@code broker} (required, {@code tcp://host:1883} or {@code
 * ssl://host:8883}), {@code client-id} (default {@code labloop-} + random; instruments with the
 * same broker, client id and username share one connection), {@code username}, {@code password},
 * {@code tls} ({@code { ca: /path/ca.pem }}: trust only these certificates; without it {@code
 * ssl://} uses the JVM's trust store; the broker's host name is checked too. A refused broker
 * certificate is saved as {@code <data>/mqtt/untrusted/<SHA-256>.pem} and the error, a permanent
 * one (status ERROR), names the broker, the fingerprint and the {@code tls.ca} to set), {@code
 * session-expiry} (how long the broker keeps the session while disconnected, default {@code 5m}),
 * {@code response-topic} (default {@code labloop/replies/<client-id>}), {@code commands}.
 *
 * <p>Command keys: {@code request} (required, the request topic), {@code payload} (a map template;
 * a string that is exactly {@code "{name}"} keeps the argument's type; default: the arguments as an
 * object), {@code outputs} (field names, or {@code {name: peak, path: result.peak}} for nested
 * fields; numbers as Double), {@code error} (the reply field whose presence means refused, default
 * {@code error}), {@code response-topic} (overrides the instrument's).
 *
 * <p>Paho 1.2.5 traps and how this package avoids them: messages are routed only through {@code
 * setCallback} (never {@code subscribe(..., IMqttMessageListener)}, one of which recurses forever);
 * persistence is {@code MemoryPersistence} (the default writes files into the working directory);
 * automatic reconnect does not restore subscriptions, so the bridge re-subscribes after every
 * (re)connect, on a thread of its own, because subscribing and waiting inside {@code
 * connectComplete} can deadlock Paho's callback thread. A reply whose request already timed out is
 * dropped and logged.
 */
@NullMarked
package io.labloop.drivers.mqtt;

import org.jspecify.annotations.NullMarked;
