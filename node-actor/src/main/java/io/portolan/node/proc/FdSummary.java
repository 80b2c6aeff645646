package io.portolan.node.proc;

import java.util.OptionalLong;
import java.util.Set;

/** Open descriptors of a process: how many, and the inodes of its sockets (to join /proc/net/tcp). */
public record FdSummary(int count, Set<Long> socketInodes) {

  public FdSummary {
    socketInodes = Set.copyOf(socketInodes);
  }

  /** {@code socket:[12345]} (a {@code fd/} symlink target) gives 12345; anything else is not a socket. */
  public static OptionalLong socketInode(String linkTarget) {
    if (!linkTarget.startsWith("socket:[") || !linkTarget.endsWith("]")) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(linkTarget.substring(8, linkTarget.length() - 1)));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
