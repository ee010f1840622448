package io.labloop.simulators.sila2;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A virtual SiLA 2 server announcing itself as SiLA 2 Part B ("SiLA Server Discovery") says: a
 * DNS-SD service of type {@code _sila._tcp.local.} on multicast DNS, the instance name the server's
 * UUID, TXT records {@code version}, {@code server_name} and {@code description}. A class of its
 * own because the announcement lives apart from the gRPC server: it outlasts a played connection
 * drop (the server listens again on the same port) and ends, with a goodbye, when the lab closes.
 * One JmDNS per server, bound to the address given (JmDNS on an interface without MULTICAST, such
 * as Linux's loopback, would announce to nobody).
 */
final class Announcement implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Announcement.class);

  static final String SERVICE_TYPE = "_sila._tcp.local.";

  private final JmDNS jmdns;
  private final ServiceInfo info;
  private final String what;

  private Announcement(JmDNS jmdns, ServiceInfo info, String what) {
    this.jmdns = jmdns;
    this.info = info;
    this.what = what;
  }

  static Announcement register(
      InetAddress on, String uuid, String serverName, String version, String description, int port)
      throws IOException {
    Map<String, String> txt = new LinkedHashMap<>();
    txt.put("version", version);
    txt.put("server_name", serverName);
    txt.put("description", description);
    // the host name in the A record: unique per server so that servers on one host do not clash
    JmDNS jmdns = JmDNS.create(on, "labloop-sila2-" + uuid.substring(0, 8));
    ServiceInfo info = ServiceInfo.create(SERVICE_TYPE, uuid, port, 0, 0, txt);
    try {
      jmdns.registerService(info);
    } catch (IOException | RuntimeException e) {
      jmdns.close();
      throw e;
    }
    String what = "'" + serverName + "' (" + uuid + ") at " + on.getHostAddress() + ":" + port;
    log.info("SiLA 2 server {} announcing itself on mDNS ({})", what, SERVICE_TYPE);
    return new Announcement(jmdns, info, what);
  }

  /**
   * Waits until the service is announced: JmDNS first probes that the names are free and answers no
   * query before it has announced them, a few seconds after {@link #register}. Several servers go
   * through this side by side, so the virtual lab registers them all, then waits.
   *
   * @return whether it was announced in time
   */
  boolean awaitAnnounced(Duration patience) {
    // JmDNS's own service object knows; the public ServiceInfo does not say
    boolean done =
        !(info instanceof javax.jmdns.impl.ServiceInfoImpl impl)
            || impl.waitForAnnounced(patience.toMillis());
    if (done) log.info("SiLA 2 server {} announced", what);
    else log.warn("SiLA 2 server {} not announced within {}", what, patience);
    return done;
  }

  /** Says goodbye (the service is gone) and stops answering. */
  @Override
  public void close() {
    try {
      jmdns.unregisterAllServices();
      jmdns.close();
      log.debug("SiLA 2 server {} no longer announced", what);
    } catch (IOException | RuntimeException e) {
      log.warn("ending the mDNS announcement of {}: {}", what, e.toString());
    }
  }
}
