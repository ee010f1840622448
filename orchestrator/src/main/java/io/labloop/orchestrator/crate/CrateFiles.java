package io.labloop.orchestrator.crate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The files of a crate, in a folder or in a zip: the writer puts them, the importer reads them. A
 * path ending in {@code .zip} is a zip; anything else a folder.
 */
public final class CrateFiles {

  private CrateFiles() {}

  /** True if {@code p} names a zipped crate. */
  public static boolean isZip(Path p) {
    return p.getFileName() != null
        && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
  }

  /** Where a crate's files are written. */
  public interface Sink extends AutoCloseable {
    /**
     * Writes the file {@code path} (relative, {@code /}-separated) by letting {@code body} fill it.
     */
    void put(String path, Body body) throws IOException;

    default void put(String path, byte[] data) throws IOException {
      put(path, out -> out.write(data));
    }

    default void put(String path, String text) throws IOException {
      put(path, text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    void close() throws IOException;
  }

  /** Fills one file. */
  @FunctionalInterface
  public interface Body {
    void write(OutputStream out) throws IOException;
  }

  /** Where a crate's files are read from. */
  public interface Source extends AutoCloseable {
    /** The bytes of {@code path}; {@link NoSuchFileException} if the crate has no such file. */
    byte[] read(String path) throws IOException;

    /** Where the crate is, for messages. */
    String where();

    @Override
    void close() throws IOException;
  }

  /** A folder (created, and required to be empty) or a zip (replaced) at {@code out}. */
  public static Sink sink(Path out) throws IOException {
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    if (isZip(out)) {
      ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out));
      return new Sink() {
        @Override
        public void put(String path, Body body) throws IOException {
          zip.putNextEntry(new ZipEntry(path));
          body.write(new NotClosing(zip));
          zip.closeEntry();
        }

        @Override
        public void close() throws IOException {
          zip.close();
        }
      };
    }
    if (Files.isDirectory(out)) {
      try (var entries = Files.list(out)) {
        if (entries.findAny().isPresent())
          throw new IOException(out + " is not empty (a crate goes into a new or empty folder)");
      }
    }
    Files.createDirectories(out);
    return new Sink() {
      @Override
      public void put(String path, Body body) throws IOException {
        Path f = out.resolve(path);
        Files.createDirectories(f.getParent());
        try (OutputStream o = Files.newOutputStream(f)) {
          body.write(o);
        }
      }

      @Override
      public void close() {}
    };
  }

  /** Reads the crate in the folder or zip {@code crate}. */
  public static Source source(Path crate) throws IOException {
    if (Files.isDirectory(crate)) {
      return new Source() {
        @Override
        public byte[] read(String path) throws IOException {
          Path f = crate.resolve(path).normalize();
          if (!f.startsWith(crate.normalize()))
            throw new NoSuchFileException(path + " (outside the crate)");
          return Files.readAllBytes(f);
        }

        @Override
        public String where() {
          return crate.toString();
        }

        @Override
        public void close() {}
      };
    }
    if (!Files.isRegularFile(crate))
      throw new NoSuchFileException(crate + " (no crate folder or zip there)");
    ZipFile zip = new ZipFile(crate.toFile());
    return new Source() {
      @Override
      public byte[] read(String path) throws IOException {
        ZipEntry e = zip.getEntry(path);
        if (e == null) throw new NoSuchFileException(crate + "!/" + path);
        try (InputStream in = zip.getInputStream(e)) {
          return in.readAllBytes();
        }
      }

      @Override
      public String where() {
        return crate.toString();
      }

      @Override
      public void close() throws IOException {
        zip.close();
      }
    };
  }

  /** Lets a body close its stream without closing the zip around it. */
  private static final class NotClosing extends java.io.FilterOutputStream {
    NotClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
