package io.portolan.node.kubernetes;

/**
 * The Kubernetes operations behind Portolan's controls. Every method blocks (an API call): run it on the
 * blocking dispatcher. Failures are {@link ControlException}s whose message says what went wrong in words
 * a user can act on (not found, forbidden, invalid); {@link KubernetesControlHandler} maps control
 * requests onto these methods.
 */
public interface KubernetesControls {

  /** Kinds that can be scaled. */
  enum Scalable { Deployment, StatefulSet }

  /** Kinds that can be restarted (their pod template annotated). */
  enum Restartable { Deployment, StatefulSet, DaemonSet }

  /** How to scale: {@code UP} / {@code DOWN} by {@code n}, or {@code TO} exactly {@code n}. */
  record Scale(Direction direction, int n) {
    public enum Direction { UP, DOWN, TO }

    public Scale {
      if (n < 0) {
        throw new IllegalArgumentException("scale by or to a negative number (" + n + ")");
      }
    }

    int apply(int current) {
      return switch (direction) {
        case UP -> current + n;
        case DOWN -> Math.max(0, current - n);
        case TO -> n;
      };
    }
  }

  /** Sets the replicas and returns the new desired count. */
  int scale(Scalable kind, String namespace, String name, Scale how);

  /** Deletes the pod (its controller, if any, makes a new one). */
  void deletePod(String namespace, String name);

  /** The last {@code tailLines} lines of the container's log ({@code container} may be empty for a single-container pod). */
  String logs(String namespace, String pod, String container, int tailLines);

  /** The object as YAML, without managedFields. {@code kind} as Kubernetes spells it; Secrets are refused. */
  String describe(String kind, String namespace, String name);

  /** Rolling restart: sets the pod template annotation {@code kubectl.kubernetes.io/restartedAt} to now. */
  String rolloutRestart(Restartable kind, String namespace, String name);

  final class ControlException extends RuntimeException {
    public ControlException(String message) {
      super(message);
    }

    public ControlException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
