package io.portolan.cluster.readmodel;

import io.portolan.cluster.readmodel.ReadModelPlacement.ViewNode;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * What this node knows about the read model's placement, readable from any thread (HTTP routes):
 * whether it is a view node, whether its model is still warming up (and how far), and where the
 * view nodes are. Written by {@code ReadModelRole} (placement) and {@code TopologyReadModel} (warm-up).
 */
public final class ReadModelStatus {

  /**
   * @param selfAddress this node's cluster address
   * @param viewNode whether this node holds the read model
   * @param warming whether its model is still being filled (only meaningful when {@code viewNode})
   * @param hostsReady hosts whose whole state arrived since the warm-up began
   * @param hostsExpected hosts the cluster's host entities listed when the warm-up began
   * @param viewNodes the view nodes, oldest first
   */
  public record State(String selfAddress, boolean viewNode, boolean warming, int hostsReady, int hostsExpected,
      List<ViewNode> viewNodes) {

    /** The view nodes this node forwards to, in the order to try them. */
    public List<ViewNode> forwardOrder() {
      return ReadModelPlacement.forwardOrder(selfAddress, viewNodes);
    }

    /** Whether this node answers read-model requests itself (a view node with a complete model). */
    public boolean servesLocally() {
      return viewNode && !warming;
    }
  }

  private final AtomicReference<State> state;

  public ReadModelStatus(String selfAddress) {
    this.state = new AtomicReference<>(new State(selfAddress, false, false, 0, 0, List.of()));
  }

  /** A status for a node that always holds a complete model (tests, a node without placement). */
  public static ReadModelStatus alwaysLocal() {
    ReadModelStatus s = new ReadModelStatus("local");
    s.update(x -> new State(x.selfAddress(), true, false, 0, 0, List.of()));
    return s;
  }

  public State get() {
    return state.get();
  }

  public void update(UnaryOperator<State> change) {
    state.updateAndGet(change);
  }
}
