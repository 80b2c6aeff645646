package io.portolan.node.proc;

import io.portolan.node.parse.Lines;
import java.util.Optional;

/** From {@code /proc/<pid>/status}: the name and the real and effective uid (the {@code Uid:} line). */
public record PidStatus(String name, int uid, int effectiveUid) {

  /** Returns empty when there is no well-formed {@code Uid:} line. */
  public static Optional<PidStatus> parse(String content) {
    String name = "";
    Integer uid = null;
    Integer euid = null;
    for (String line : content.split("\n")) {
      if (line.startsWith("Name:")) {
        name = line.substring("Name:".length()).strip();
      } else if (line.startsWith("Uid:")) {
        String[] f = Lines.fields(line.substring("Uid:".length()));
        if (f.length < 2) {
          return Optional.empty();
        }
        try {
          uid = Integer.parseInt(f[0]);
          euid = Integer.parseInt(f[1]);
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
    }
    return uid == null ? Optional.empty() : Optional.of(new PidStatus(name, uid, euid));
  }
}
