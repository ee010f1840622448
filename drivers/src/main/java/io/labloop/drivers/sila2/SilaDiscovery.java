package io.labloop.drivers.sila2;

import io.labloop.common.Multicast;
import io.labloop.common.Threads;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a SiLA 2 server on the local network, as SiLA 2 Part B ("SiLA Server Discovery") has
 * servers announce themselves: DNS-SD over multicast DNS, service type {@code _sila._tcp.local.},
 * the instance name the server's UUID, TXT records {@code version}, {@code server_name}, {@code
 * description} (and {@code ca0..caN}, a CA certificate, which the driver does not use: trust stays
 * with {@link ServerTrust}). A package-level class of its own because browsing (JmDNS on a
 * multicast-capable interface, a time limit, the servers seen on the way) has nothing to do with
 * the gRPC connection that follows.
 */
final class SilaDiscovery {

  private static final Logger log = LoggerFactory.getLogger(SilaDiscovery.class);

  static final String SERVICE_TYPE = "_sila._tcp.local.";

  /** Browsing blocks (JmDNS starts and stops its sockets): one daemon thread per browse. */
  private static final ExecutorService BROWSERS =
      Executors.newCachedThreadPool(Threads.daemon("sila2-discovery"));

  /** A server that answered: its instance name (UUID), TXT server name, and address. */
  record Found(String instance, String serverName, String host, int port) {
    String describe() {
      return "'" + serverName + "' (" + instance + ") at " + address();
    }

    String address() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  private SilaDiscovery() {}

  /** Whether the server's name or UUID is the one the lab file asks for. */
  static boolean matches(String wanted, String instance, String serverName) {
    return wanted.equals(serverName) || wanted.equalsIgnoreCase(instance);
  }

  /**
   * Browses for at most {@code timeout} for the server named {@code wanted} (its server name or
   * UUID); fails with a message naming what was looked for, how long, and the servers seen.
   */
  static CompletableFuture<Found> find(
      String wanted, Duration timeout, Optional<String> networkInterface) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return browse(wanted, timeout, networkInterface);
          } catch (IOException e) {
            throw new IllegalStateException(
                "cannot look for SiLA 2 server '" + wanted + "' by mDNS: " + e.getMessage(), e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("looking for SiLA 2 server '" + wanted + "' stopped");
          }
        },
        BROWSERS);
  }

  private static Found browse(String wanted, Duration timeout, Optional<String> networkInterface)
      throws IOException, InterruptedException {
    InetAddress bind = Multicast.address(networkInterface);
    Map<String, Found> seen = new ConcurrentHashMap<>();
    CompletableFuture<Found> match = new CompletableFuture<>();
    JmDNS jmdns = JmDNS.create(bind, "labloop-sila2-" + ProcessHandle.current().pid());
    try {
      ServiceListener listener =
          new ServiceListener() {
            @Override
            public void serviceAdded(ServiceEvent event) {
              // resolving (SRV, TXT, A) goes on in the background; serviceResolved follows
              event.getDNS().requestServiceInfo(event.getType(), event.getName(), 1);
            }

            @Override
            public void serviceRemoved(ServiceEvent event) {}

            @Override
            public void serviceResolved(ServiceEvent event) {
              found(event.getInfo())
                  .ifPresent(
                      f -> {
                        seen.put(f.instance(), f);
                        if (matches(wanted, f.instance(), f.serverName())) match.complete(f);
                      });
            }
          };
      jmdns.addServiceListener(SERVICE_TYPE, listener);
      try {
        Found f = match.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        log.debug("found SiLA 2 server {}", f.describe());
        return f;
      } catch (java.util.concurrent.TimeoutException e) {
        // servers already resolved but not announced to the listener
        for (ServiceInfo info : jmdns.list(SERVICE_TYPE, 1))
          found(info).ifPresent(f -> seen.put(f.instance(), f));
        for (Found f : seen.values()) if (matches(wanted, f.instance(), f.serverName())) return f;
        throw new IllegalStateException(notFound(wanted, timeout, bind, seen.values()));
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      } finally {
        jmdns.removeServiceListener(SERVICE_TYPE, listener);
      }
    } finally {
      // closing sends nothing we need and can take a moment: not on the caller's time
      BROWSERS.execute(
          () -> {
            try {
              jmdns.close();
            } catch (IOException e) {
              log.debug("closing mDNS on {}: {}", bind, e.toString());
            }
          });
    }
  }

  static String notFound(
      String wanted, Duration timeout, InetAddress bind, java.util.Collection<Found> seen) {
    List<String> others = new ArrayList<>();
    for (Found f : seen) others.add(f.describe());
    others.sort(null);
    return "no SiLA 2 server named '"
        + wanted
        + "' answered on mDNS ("
        + SERVICE_TYPE
        + " via "
        + bind.getHostAddress()
        + ") within "
        + seconds(timeout)
        + "; "
        + (others.isEmpty()
            ? "no SiLA 2 server was seen"
            : "seen instead: " + String.join(", ", others));
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0
        ? d.toSeconds() + " s"
        : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  private static Optional<Found> found(ServiceInfo info) {
    if (info == null || info.getPort() <= 0) return Optional.empty();
    InetAddress[] addresses =
        info.getInet4Addresses().length > 0 ? info.getInet4Addresses() : info.getInetAddresses();
    if (addresses.length == 0) return Optional.empty();
    String serverName = info.getPropertyString("server_name");
    String instance = info.getName();
    log.debug(
        "mDNS: SiLA 2 server {} name {} at {}:{}",
        instance,
        serverName,
        Arrays.toString(addresses),
        info.getPort());
    return Optional.of(
        new Found(
            instance,
            serverName == null ? instance : serverName,
            addresses[0].getHostAddress(),
            info.getPort()));
  }
}
