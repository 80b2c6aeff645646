package io.portolan.loadgen;

import java.time.Duration;

/**
 * The shape of one simulated host and how often it reports.
 *
 * @param containers containers per host
 * @param processesPerContainer processes in each container (the first listens on 8080)
 * @param hostProcesses processes outside containers
 * @param connectionsPerContainer outbound connections per container to containers on other hosts
 *     (each also shows up as an inbound endpoint on the other host: 2 endpoints per connection)
 * @param reportEvery how often a report (delta) is sent
 * @param fullEvery every how many reports one is a full report
 */
public record Profile(String name, int containers, int processesPerContainer, int hostProcesses,
    int connectionsPerContainer, Duration reportEvery, int fullEvery) {

  /** Issue 4's host: 10 containers, 50 processes, a delta every second, a full report every 30 s. */
  public static final Profile DEFAULT = new Profile("default", 10, 5, 0, 3, Duration.ofSeconds(1), 30);

  /**
   * Weave Scope's measured host: 33 containers, ~270 processes (8 per container + 6 on the host),
   * ~200 connection endpoints (33 x 3 x 2), a report every 3 s, every third one full (as Scope's probe).
   */
  public static final Profile SCOPE = new Profile("scope", 33, 8, 6, 3, Duration.ofSeconds(3), 3);

  public static Profile named(String name) {
    return switch (name) {
      case "default" -> DEFAULT;
      case "scope" -> SCOPE;
      default -> throw new IllegalArgumentException("profile must be 'default' or 'scope' (got '" + name + "')");
    };
  }

  public int processes() {
    return containers * processesPerContainer + hostProcesses;
  }

  public int connectionEndpoints() {
    return containers * connectionsPerContainer * 2;
  }
}
