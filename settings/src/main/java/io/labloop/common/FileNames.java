package io.labloop.common;

/** Names people chose (campaigns, attachments, instruments) made safe to use as file names. */
public final class FileNames {

  private FileNames() {}

  /**
   * Every character other than ASCII letters, digits, {@code .}, {@code _} and {@code -} becomes
   * {@code _}: no path separators, no spaces, nothing a shell or another file system would read
   * differently.
   */
  public static String safe(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
