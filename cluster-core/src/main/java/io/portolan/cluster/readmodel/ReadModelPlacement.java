package io.portolan.cluster.readmodel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Which members hold the topology read model ("view nodes"): the {@code replicas} oldest Up members
 * that announce an HTTP endpoint (a cluster role {@code http:PORT} or {@code https:PORT}, see
 * {@link #httpRole}). Every node computes the same answer from the same membership, so nothing is
 * agreed on or stored: the choice changes only when a view node leaves the Up members (left, downed
 * after a crash) or when fewer than {@code replicas} were Up before. Pure functions, no actor.
 */
public final class ReadModelPlacement {

  private ReadModelPlacement() {}

  /** One Up member, as the placement needs it: its cluster address, its host and its roles. */
  public record Candidate(String address, String host, Collection<String> roles) {}

  /** A view node: its cluster address and the base URI of its HTTP API (e.g. {@code http://10.0.0.5:4040}). */
  public record ViewNode(String address, String httpBase) {}

  /** The role a node announces its HTTP endpoint with. */
  public static String httpRole(boolean tls, int port) {
    return (tls ? "https:" : "http:") + port;
  }

  /** The base URI a member's roles announce, if any. */
  public static Optional<String> httpBase(String host, Collection<String> roles) {
    for (String role : roles) {
      for (String scheme : List.of("http", "https")) {
        if (role.startsWith(scheme + ":")) {
          String port = role.substring(scheme.length() + 1);
          if (port.matches("[1-9][0-9]{0,4}")) {
            String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
            return Optional.of(scheme + "://" + h + ":" + port);
          }
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The view nodes among {@code upOldestFirst} (Up members, oldest first, as
   * {@code Member.ageOrdering} sorts them): the first {@code replicas} that announce an HTTP endpoint.
   */
  public static List<ViewNode> choose(List<Candidate> upOldestFirst, int replicas) {
    if (replicas < 1) {
      throw new IllegalArgumentException("replicas must be at least 1, got " + replicas);
    }
    List<ViewNode> chosen = new ArrayList<>();
    for (Candidate c : upOldestFirst) {
      if (chosen.size() == replicas) {
        break;
      }
      httpBase(c.host(), c.roles()).ifPresent(base -> chosen.add(new ViewNode(c.address(), base)));
    }
    return List.copyOf(chosen);
  }

  /**
   * The view nodes a node that is not one asks, in the order to try them: they are spread over the
   * view nodes by the asking node's address (so that with two view nodes, the other nodes do not all
   * ask the same one), the rest follow as fallbacks.
   */
  public static List<ViewNode> forwardOrder(String selfAddress, List<ViewNode> viewNodes) {
    if (viewNodes.isEmpty()) {
      return List.of();
    }
    int first = Math.floorMod(selfAddress.hashCode(), viewNodes.size());
    List<ViewNode> order = new ArrayList<>(viewNodes.size());
    for (int i = 0; i < viewNodes.size(); i++) {
      order.add(viewNodes.get((first + i) % viewNodes.size()));
    }
    return List.copyOf(order);
  }
}
