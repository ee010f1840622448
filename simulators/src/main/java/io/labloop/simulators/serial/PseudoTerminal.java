package io.labloop.simulators.serial;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A Unix pseudo-terminal made with libc through JNA ({@code posix_openpt}, {@code grantpt}, {@code
 * unlockpt}, {@code ptsname}), so no socat is needed. The device reads and writes the master side;
 * the slave ({@code /dev/pts/N}) is what a serial client opens.
 *
 * <p>The slave is put in raw mode ({@code cfmakeraw}: no echo, no CR/LF translation) and one slave
 * descriptor stays open in here: a real UART does not echo, and without an open slave the master's
 * reads fail with EIO between two clients.
 */
final class PseudoTerminal implements AutoCloseable {

  private static final int O_RDWR = 0x2;
  private static final int O_NOCTTY = 0x100;
  private static final int POLLIN = 0x1;
  private static final int TCSANOW = 0;

  interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int posix_openpt(int flags);

    int grantpt(int fd);

    int unlockpt(int fd);

    String ptsname(int fd);

    int open(String path, int flags);

    int close(int fd);

    long read(int fd, byte[] buffer, long count);

    long write(int fd, byte[] buffer, long count);

    int poll(Pointer fds, long count, int timeoutMillis);

    int tcgetattr(int fd, byte[] termios);

    int tcsetattr(int fd, int when, byte[] termios);

    void cfmakeraw(byte[] termios);
  }

  private final int master;
  private final int slave;
  private final String slavePath;
  private volatile boolean closed;

  private PseudoTerminal(int master, int slave, String slavePath) {
    this.master = master;
    this.slave = slave;
    this.slavePath = slavePath;
  }

  static PseudoTerminal open() throws IOException {
    LibC c = LibC.INSTANCE;
    int master = c.posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0) {
      throw new IOException(
          "posix_openpt failed (errno "
              + Native.getLastError()
              + "): this system has no /dev/ptmx");
    }
    if (c.grantpt(master) != 0 || c.unlockpt(master) != 0) {
      c.close(master);
      throw new IOException("grantpt/unlockpt failed (errno " + Native.getLastError() + ")");
    }
    String path = c.ptsname(master);
    int slave = c.open(path, O_RDWR | O_NOCTTY);
    if (slave < 0) {
      c.close(master);
      throw new IOException("cannot open " + path + " (errno " + Native.getLastError() + ")");
    }
    byte[] termios = new byte[128]; // struct termios is 60 bytes on Linux; room to spare
    if (c.tcgetattr(slave, termios) == 0) {
      c.cfmakeraw(termios);
      c.tcsetattr(slave, TCSANOW, termios);
    }
    return new PseudoTerminal(master, slave, path);
  }

  /** The slave device a client opens, e.g. {@code /dev/pts/3}. */
  String slavePath() {
    return slavePath;
  }

  /**
   * Reads what the client sent, waiting at most {@code timeoutMillis}.
   *
   * @return the bytes read, empty when nothing came in time
   * @throws IOException when the terminal is closed
   */
  byte[] read(int timeoutMillis) throws IOException {
    if (closed) {
      throw new IOException("closed");
    }
    try (Memory pollfd = new Memory(8)) {
      pollfd.setInt(0, master);
      pollfd.setShort(4, (short) POLLIN);
      pollfd.setShort(6, (short) 0);
      int ready = LibC.INSTANCE.poll(pollfd, 1, timeoutMillis);
      if (ready <= 0 || (pollfd.getShort(6) & POLLIN) == 0) {
        return new byte[0];
      }
    }
    byte[] buffer = new byte[4096];
    long n = LibC.INSTANCE.read(master, buffer, buffer.length);
    if (n < 0) {
      throw new IOException("read failed (errno " + Native.getLastError() + ")");
    }
    byte[] out = new byte[(int) n];
    System.arraycopy(buffer, 0, out, 0, (int) n);
    return out;
  }

  void write(String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    int off = 0;
    while (off < bytes.length && !closed) {
      byte[] rest = new byte[bytes.length - off];
      System.arraycopy(bytes, off, rest, 0, rest.length);
      long n = LibC.INSTANCE.write(master, rest, rest.length);
      if (n < 0) {
        throw new IOException("write failed (errno " + Native.getLastError() + ")");
      }
      off += (int) n;
    }
  }

  boolean isClosed() {
    return closed;
  }

  /** Closes both sides: a client reading the slave sees the line hang up. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      LibC.INSTANCE.close(slave);
      LibC.INSTANCE.close(master);
    }
  }
}
