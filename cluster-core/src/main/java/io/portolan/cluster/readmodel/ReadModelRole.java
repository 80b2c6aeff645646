package io.portolan.cluster.readmodel;

import io.portolan.cluster.readmodel.ReadModelPlacement.Candidate;
import io.portolan.cluster.readmodel.ReadModelPlacement.ViewNode;
import io.portolan.cluster.topology.TopologyReadModel;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * Decides, on every membership change, whether this node is one of the {@code replicas} view nodes
 * ({@link ReadModelPlacement#choose}: the oldest Up members that announce an HTTP endpoint) and
 * tells its {@link TopologyReadModel} to build or drop the model. The placement is written to the
 * {@link ReadModelStatus} the HTTP routes read to answer or forward.
 *
 * <p>Only membership counts, not reachability: a view node that is unreachable stays the view node
 * until it is downed (by the split brain resolver, {@code stable-after} after the failure detector
 * gave up on it), so a long GC pause does not move the model back and forth.
 */
public final class ReadModelRole {

  private ReadModelRole() {}

  public static Behavior<ClusterEvent.MemberEvent> create(int replicas, ReadModelStatus status,
      ActorRef<TopologyReadModel.Command> readModel) {
    return Behaviors.setup(ctx -> {
      Cluster cluster = Cluster.get(ctx.getSystem());
      cluster.subscriptions().tell(Subscribe.create(ctx.getSelf(), ClusterEvent.MemberEvent.class));
      String self = cluster.selfMember().address().toString();
      boolean[] wasViewNode = {false};
      return Behaviors.receive(ClusterEvent.MemberEvent.class)
          .onAnyMessage(event -> {
            List<Member> up = new ArrayList<>();
            cluster.state().getMembers().forEach(m -> {
              if (m.status() == MemberStatus.up()) {
                up.add(m);
              }
            });
            up.sort(Member.ageOrdering());
            List<Candidate> candidates = up.stream()
                .map(m -> new Candidate(m.address().toString(), m.address().host().getOrElse(() -> "127.0.0.1"),
                    m.getRoles()))
                .toList();
            List<ViewNode> viewNodes = ReadModelPlacement.choose(candidates, replicas);
            boolean viewNode = viewNodes.stream().anyMatch(v -> v.address().equals(self));
            status.update(s -> new ReadModelStatus.State(s.selfAddress(), viewNode, viewNode && s.warming(),
                s.hostsReady(), s.hostsExpected(), viewNodes));
            if (viewNode != wasViewNode[0]) {
              wasViewNode[0] = viewNode;
              if (viewNode) {
                // warming until the read model says it is complete
                status.update(s -> new ReadModelStatus.State(s.selfAddress(), true, true, 0, 0, s.viewNodes()));
              }
              readModel.tell(viewNode ? TopologyReadModel.Activate.INSTANCE : TopologyReadModel.Deactivate.INSTANCE);
              ctx.getLog().info("View nodes of the read model: {}", viewNodes);
            }
            return Behaviors.same();
          })
          .build();
    });
  }
}
