package io.portolan.gateway;

import io.portolan.cluster.access.TokenEntity;
import io.portolan.cluster.access.UserEntity;
import io.portolan.cluster.agent.AgentEntity;
import io.portolan.cluster.readmodel.HostIndex;
import io.portolan.cluster.readmodel.ReadModelRole;
import io.portolan.cluster.readmodel.ReadModelStatus;
import io.portolan.cluster.topology.HostDelta;
import io.portolan.cluster.topology.HostEntity;
import io.portolan.cluster.topology.TopologyReadModel;
import io.portolan.cluster.topology.TopologySettings;
import io.portolan.cluster.topology.TopologyStore;
import io.portolan.cluster.view.ViewService;
import io.portolan.gateway.agentlink.AgentToken;
import io.portolan.gateway.auth.AdminBootstrap;
import io.portolan.gateway.auth.AuthSettings;
import io.portolan.gateway.agentlink.IngestStats;
import io.portolan.gateway.http.HttpApi;
import io.portolan.gateway.http.HttpServer;
import java.time.Clock;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The node's root actor: registers the sharded entities, starts this node's topology read model
 * (kept only while this node is a view node) and its placement, then opens the HTTP port.
 */
public final class Guardian {

  /** The name of the distributed pub-sub topic that carries {@link HostDelta}s. */
  public static final String HOST_DELTAS_TOPIC = "portolan-host-deltas";

  private Guardian() {}

  public static Behavior<Void> create(PortolanSettings settings) {
    return Behaviors.setup(ctx -> {
      var config = ctx.getSystem().settings().config();
      TopologySettings topology = TopologySettings.from(config);
      ActorRef<Topic.Command<HostDelta>> topic =
          ctx.spawn(Topic.create(HostDelta.class, HOST_DELTAS_TOPIC), "host-deltas-topic");
      TopologyStore store = new TopologyStore();
      AuthSettings auth = AuthSettings.from(config);
      AgentEntity.init(ctx.getSystem());
      UserEntity.init(ctx.getSystem(), auth.lockout());
      TokenEntity.init(ctx.getSystem());
      HostEntity.init(ctx.getSystem(), topology, topic);
      // The read model lives on the view nodes only (ReadModelRole decides, from the membership);
      // every node lists its host entities for a view node that warms up.
      ReadModelStatus readModel = new ReadModelStatus(
          org.apache.pekko.cluster.typed.Cluster.get(ctx.getSystem()).selfMember().address().toString());
      var model = ctx.spawn(TopologyReadModel.create(store, topic, topology, Clock.systemUTC(), readModel),
          "topology-read-model");
      ctx.spawn(HostIndex.create(), "host-index");
      ctx.spawn(ReadModelRole.create(config.getInt("portolan.read-model.replicas"), readModel, model),
          "read-model-role");

      HttpApi.Services services = new HttpApi.Services(new ViewService(store, topology), topology,
          AgentToken.fromConfig(config), new IngestStats(), readModel);
      HttpServer.start(ctx.getSystem(), settings, new HttpApi(ctx.getSystem(), settings, auth, services).route());
      AdminBootstrap.ensureAdmin(ClusterSharding.get(ctx.getSystem()), auth.adminPassword(),
          ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking()), settings.askTimeout().multipliedBy(4));
      return Behaviors.empty();
    });
  }
}
