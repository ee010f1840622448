package io.labloop.common;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The local address to speak multicast DNS on (SiLA 2 server discovery). Kept here because two
 * modules must choose alike, the SiLA 2 driver that browses and the virtual lab's SiLA 2 servers
 * that announce themselves, and neither depends on the other. The loopback interface is no default:
 * on Linux it usually has no MULTICAST flag, and an mDNS socket bound there hears nothing, while
 * the host's own multicast on a real interface loops back to listeners on that same host.
 */
public final class Multicast {

  private Multicast() {}

  /**
   * The address to bind to.
   *
   * @param wanted an interface name ({@code eth0}) or one of the host's addresses; empty: the first
   *     interface that is up, not loopback and supports multicast (its IPv4 address if it has one)
   * @throws IOException when nothing fits, saying what there is
   */
  public static InetAddress address(Optional<String> wanted) throws IOException {
    if (wanted.isPresent()) {
      String w = wanted.get().trim();
      NetworkInterface named = NetworkInterface.getByName(w);
      if (named != null) {
        Optional<InetAddress> a = preferred(named);
        if (a.isEmpty()) throw new IOException("network interface " + w + " has no address");
        return a.get();
      }
      InetAddress a = InetAddress.getByName(w);
      if (NetworkInterface.getByInetAddress(a) == null)
        throw new IOException(w + " is neither a network interface nor an address of this host");
      return a;
    }
    List<String> seen = new ArrayList<>();
    for (NetworkInterface ni : interfaces()) {
      seen.add(ni.getName());
      if (!ni.isUp() || ni.isLoopback() || !ni.supportsMulticast() || ni.isPointToPoint()) continue;
      Optional<InetAddress> a = preferred(ni);
      if (a.isPresent()) return a.get();
    }
    throw new IOException(
        "no network interface is up, not loopback and multicast-capable (have "
            + seen
            + "); name one");
  }

  private static List<NetworkInterface> interfaces() throws SocketException {
    List<NetworkInterface> all =
        new ArrayList<>(Collections.list(NetworkInterface.getNetworkInterfaces()));
    all.sort((a, b) -> Integer.compare(a.getIndex(), b.getIndex()));
    return all;
  }

  private static Optional<InetAddress> preferred(NetworkInterface ni) {
    List<InetAddress> addresses = Collections.list(ni.getInetAddresses());
    for (InetAddress a : addresses) if (a instanceof Inet4Address) return Optional.of(a);
    for (InetAddress a : addresses) if (!a.isLinkLocalAddress()) return Optional.of(a);
    return addresses.stream().findFirst();
  }
}
