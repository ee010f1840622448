package io.labloop.orchestrator.store;

import io.labloop.orchestrator.config.CampaignName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Keeps two processes on one data folder from running the same campaign at once (a {@code labloop
 * run} and the daemon it is handed over to, or two {@code labloop run}s): two engines resuming one
 * run would both send its next commands. The lock is the operating system's lock on {@code
 * DATA/locks/NAME.lock} (the name unchanged, see {@link CampaignName}, so two campaigns never share
 * a lock), held while an engine runs the campaign; the OS drops it when the process ends in any way
 * (SIGKILL, a power cut), so a crash never leaves a stale lock behind. It guards one PC, which is
 * all a SQLite store can serve; on PostgreSQL {@link RunOwnership} takes an advisory lock in the
 * database instead, which guards every PC sharing it.
 */
public final class RunLock implements RunClaim {
  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code campaign} in {@code dataDir}.
   *
   * @return empty if another engine (in this process or another one) holds it
   */
  public static Optional<RunLock> tryAcquire(Path dataDir, String campaign) {
    try {
      Path dir = dataDir.resolve("locks");
      Files.createDirectories(dir);
      FileChannel channel =
          FileChannel.open(
              dir.resolve(CampaignName.fileName(campaign) + ".lock"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException heldHere) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        return Optional.empty();
      }
      return Optional.of(new RunLock(channel, lock));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock campaign " + campaign + " in " + dataDir, e);
    }
  }

  @Override
  public void close() {
    try {
      if (lock.isValid()) lock.release();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
