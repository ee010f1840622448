/**
 * The virtual lab: simulated instruments that speak the real protocols (OPC UA, serial, MQTT 5) so
 * that drivers, campaigns and CI run without hardware. Entry points: {@link
 * io.labloop.simulators.VirtualLab} (start, endpoints, faults, received-command counts), {@link
 * io.labloop.simulators.SimulationSettings#check} (validation of the lab file's {@code simulation:}
 * block) and {@code junit.VirtualLabExtension}.
 *
 * <h2>The {@code simulation:} block: every key accepted</h2>
 *
 * <pre>
 * simulation:
 *   seed: 7                      # whole number, default 0: noise, drift and fault draws repeat
 *   time-scale: 0.001            # number &gt;= 0, default 1; an operation takes duration x time-scale (0 = instant)
 *   broker: embedded             # embedded (default: start an MQTT 5 broker at each mqtt instrument's
 *                                #   broker address, which must be a loopback address; ssl://host:port
 *                                #   gives a TLS listener, see below) | external
 *   broker-users: { a: pa, labloop-daemon: pd }  # the embedded broker lets in only these users with
 *                                #   these passwords (CONNACK 0x86 otherwise); default: anonymous
 *   broker-acl: agents           # with broker-users: each user only on the topics config/mosquitto/acl
 *                                #   gives it (agent NAME on labloop/agents/NAME/..., labloop-daemon
 *                                #   on every agent's); refused: SUBACK 0x87, DISCONNECT 0x87 on publish
 *   trust-clients: all           # all (default): the OPC UA servers accept every client certificate |
 *                                #   trust-list: only those in WORK/pki/trusted/certs, as a real server;
 *                                #   a refused one is saved as WORK/pki/rejected/SHA1.der (move it into
 *                                #   trusted/certs to trust it; no restart needed). Needs an OPC UA
 *                                #   instrument whose security policy is not None.
 *   mdns-interface: eth0         # interface name or address where discoverable SiLA 2 servers announce
 *                                #   themselves (default: the first up, non-loopback, multicast-capable)
 *   world:                       # exactly one of:
 *     model: silver-nanoparticles                       # built in; inputs temperature, time,
 *                                                       #   concentration, solvent; outputs peak, fwhm,
 *                                                       #   crystallinity, diameter
 *     expression: { y: "x1^2 + sin(x2)" }               # one EvalEx expression per output; inputs are
 *                                                       #   the variables used (exp, log, sqrt, pow,
 *                                                       #   sin, cos in radians, abs, min, max)
 *     dataset: runs.csv                                 # + inputs: [names] + outputs: [names];
 *                                                       #   path relative to the lab file
 *     function: branin                                  # + optional output: y (default y); inputs x1..xd
 *   instruments:                 # keys: names of the lab's instruments (driver opcua | serial | mqtt)
 *     robot:
 *       role: synthesizer        # synthesizer | measurer (required)
 *       duration: 30m            # 500ms | 30s | 10m | 2h | seconds as a number; default 0
 *       noise: { temperature: 0.5 }   # synthesizer: sd of achieved minus requested condition per input
 *       discoverable: true       # sila2 only: announce the server by SiLA Server Discovery (mDNS);
 *                                #   default true when the lab section says discover: NAME, else false
 *     spectrometer:
 *       role: measurer
 *       measures: [peak, fwhm]   # required for a measurer; names of world outputs
 *       duration: 2m
 *       noise: { peak: 0.5 }     # sd of Gaussian noise per measured output, &gt;= 0
 *       drift: { peak: 0.01 }    # shift of the reading per measurement since (re)start, &gt;= 0
 *   faults:
 *     spectrometer:              # a simulated instrument; each rate a probability 0..1, sum &lt;= 1
 *       timeout-rate: 0.02       # never answers
 *       garbage-rate: 0.01       # answers bytes that follow no rule
 *       disconnect-rate: 0.0     # drops the connection
 *       refuse-rate: 0.0         # answers a protocol-level refusal
 *       restart-rate: 0.0        # restarts: connection dropped, running operation lost
 * </pre>
 *
 * <p>What each protocol reads from the instrument's own section: OPC UA {@code endpoint}, {@code
 * security} ({@code policy: None | Basic256Sha256 | Aes128_Sha256_RsaOaep}, {@code username},
 * {@code password}; each policy named by the instruments on an endpoint is offered with both modes,
 * Sign and SignAndEncrypt, whatever {@code mode} says, as real servers do), {@code
 * commands.*.method.object/method}, {@code inputs}, {@code outputs}; serial {@code port}, {@code
 * commands.*.send} (the template tells the device which words carry which argument); MQTT {@code
 * broker}, {@code commands.*.request}, {@code payload}; SiLA 2 {@code server} or {@code discover}
 * (the server name or UUID it then takes, announced on mDNS and listening on the {@code
 * mdns-interface} address), {@code feature}, {@code plaintext}, {@code commands}.
 *
 * <p>Certificates are made on first start and kept in the work folder (WORK above; {@code labloop
 * sim} prints where): the OPC UA server's in {@code pki/virtual-lab.pfx}; an embedded broker at an
 * {@code ssl://} address uses {@code cert/mqtt-broker.p12}, and clients trust {@code
 * cert/mqtt-broker.pem} (the driver: {@code tls: { ca: WORK/cert/mqtt-broker.pem }}). Each
 * instrument's printed line names the file ({@code tls-ca=}) and the trust list ({@code
 * trusted-clients=}). On an external {@code ssl://} broker the simulated devices trust the
 * instrument's own {@code tls.ca}, else the JVM's trust store.
 */
@NullMarked
package io.labloop.simulators;

import org.jspecify.annotations.NullMarked;
