package io.portolan.node.proc;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the 64-hex container id in {@code /proc/<pid>/cgroup}. Path shapes recognised (v1 lines are
 * {@code hierarchy:controllers:path}, v2 is {@code 0::path}):
 * <ul>
 *   <li>Docker, cgroupfs driver: {@code /docker/<id>}</li>
 *   <li>Docker, systemd driver: {@code /system.slice/docker-<id>.scope}</li>
 *   <li>Kubernetes, cgroupfs driver: {@code /kubepods/burstable/pod<uid>/<id>}</li>
 *   <li>Kubernetes, systemd driver: {@code /kubepods.slice/.../cri-containerd-<id>.scope},
 *       {@code crio-<id>.scope}, {@code docker-<id>.scope}</li>
 *   <li>containerd with systemd cgroups on v2: {@code .../kubepods-...slice:cri-containerd:<id>}</li>
 *   <li>Podman: {@code libpod-<id>.scope}</li>
 * </ul>
 * Only the last path component is inspected, so a pod UID (36 chars with dashes) or a parent id never
 * matches. Processes in a container's nested cgroup ({@code .../<id>/init.scope}) are looked up one
 * level up as well.
 */
public final class CgroupContainerId {

  private static final Pattern ID =
      Pattern.compile("(?:^|[-:])([0-9a-f]{64})(?:\\.scope)?$");

  private CgroupContainerId() {}

  public static Optional<String> parse(String content) {
    for (String line : content.split("\n")) {
      int first = line.indexOf(':');
      int second = first < 0 ? -1 : line.indexOf(':', first + 1);
      if (second < 0) {
        continue;
      }
      String[] parts = line.substring(second + 1).strip().split("/");
      // The last component, then its parent (systemd nests init.scope / payload cgroups below the container).
      for (int i = parts.length - 1; i >= Math.max(0, parts.length - 2); i--) {
        Matcher m = ID.matcher(parts[i]);
        if (m.find()) {
          return Optional.of(m.group(1));
        }
      }
    }
    return Optional.empty();
  }
}
