package io.portolan.node.proc;

import java.util.List;
import java.util.Optional;

/** Processes from /proc. Blocking file I/O: call on the blocking dispatcher. */
public interface ProcessPort {

  List<Integer> pids();

  /** Read every scan (CPU time, RSS, state, threads). Empty when the process is gone. */
  Optional<PidStat> stat(int pid);

  /** Read once per process (command line, owner, cwd, container). Empty when the process is gone. */
  Optional<Details> details(int pid);

  /** After a pass: {@code alive} are the pids it listed; resources held for other pids may be released. */
  default void retain(java.util.Set<Integer> alive) {}

  /** Bytes per page, to turn RSS pages into bytes. */
  long pageSize();

  /** Clock ticks per second (USER_HZ), to turn CPU ticks into seconds. */
  long ticksPerSecond();

  record Details(String cmdline, int uid, String user, String cwd, String containerId) {}
}
