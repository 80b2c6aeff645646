package io.portolan.cluster.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.portolan.cluster.TestConfigs;
import io.portolan.cluster.readmodel.HostIndex;
import io.portolan.cluster.readmodel.ReadModelStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.internal.pubsub.TopicImpl;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The read model is kept only while activated: on activation it subscribes and warms up from the
 * hosts the nodes' {@link HostIndex}es list (a probe here), complete when every listed host's whole
 * state arrived; on deactivation it unsubscribes and drops the model.
 */
class TopologyReadModelTest {

  static final ActorTestKit testKit = ActorTestKit.create(
      TestConfigs.clusterNode().withFallback(ConfigFactory.load()));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static HostDelta delta(String hostId, boolean full, long version) {
    return new HostDelta(hostId, 1, version, full, 1000, HostStatus.LIVE, "agent-" + hostId, "pekko://x@h:1", 1000,
        List.of(HostEntityTest.container("c-" + hostId, "n", 1000)), Map.of(), 1000);
  }

  @Test
  @SuppressWarnings("unchecked")
  void activationSubscribesAndWarmsUpFromTheListedHostsDeactivationDropsTheModel() {
    // a one-node cluster: the receptionist lists registrations of Up members
    org.apache.pekko.cluster.typed.Cluster cluster = org.apache.pekko.cluster.typed.Cluster.get(testKit.system());
    cluster.manager().tell(org.apache.pekko.cluster.typed.Join.create(cluster.selfMember().address()));
    awaitStatus(new ReadModelStatus("x"), s -> cluster.selfMember().status() == org.apache.pekko.cluster.MemberStatus.up());
    TestProbe<Topic.Command<HostDelta>> topic = testKit.createTestProbe();
    // a gap asks the host's entity for a snapshot: the entities exist (and have nothing to send)
    HostEntity.init(testKit.system(), HostEntityTest.SETTINGS, testKit.<Topic.Command<HostDelta>>createTestProbe().getRef());
    TestProbe<HostIndex.Command> index = testKit.createTestProbe();
    TestProbe<Receptionist.Registered> registered = testKit.createTestProbe();
    testKit.system().receptionist().tell(Receptionist.register(HostIndex.KEY, index.getRef(), registered.getRef()));
    registered.receiveMessage(Duration.ofSeconds(5));
    // the receptionist lists a registration once its replicated state has it
    TestProbe<Receptionist.Listing> listing = testKit.createTestProbe();
    awaitStatus(new ReadModelStatus("x"), s -> {
      testKit.system().receptionist().tell(Receptionist.find(HostIndex.KEY, listing.getRef()));
      return !listing.receiveMessage(Duration.ofSeconds(3)).getServiceInstances(HostIndex.KEY).isEmpty();
    });

    TopologyStore store = new TopologyStore();
    ReadModelStatus status = new ReadModelStatus("self");
    ActorRef<TopologyReadModel.Command> model = testKit.spawn(
        TopologyReadModel.create(store, topic.getRef(), HostEntityTest.SETTINGS, Clock.systemUTC(), status));

    // not a view node yet: no subscription, deltas are not kept
    topic.expectNoMessage(Duration.ofMillis(200));

    model.tell(TopologyReadModel.Activate.INSTANCE);
    Topic.Command<HostDelta> subscribe = topic.receiveMessage(Duration.ofSeconds(3));
    assertThat(subscribe).isInstanceOf(TopicImpl.Subscribe.class);
    ActorRef<HostDelta> subscriber = ((TopicImpl.Subscribe<HostDelta>) subscribe).subscriber();
    HostIndex.SnapshotAll ask = (HostIndex.SnapshotAll) index.receiveMessage(Duration.ofSeconds(5));
    assertThat(status.get().warming()).isTrue();

    ask.replyTo().tell(new HostIndex.Hosts("node-a", List.of("h1", "h2")));
    ask.snapshotsTo().tell(delta("h1", true, 1));
    awaitStatus(status, s -> s.warming() && s.hostsReady() == 1 && s.hostsExpected() == 2);
    // a delta (not the whole state) of h2 does not make the model complete
    subscriber.tell(delta("h2", false, 1));
    awaitStatus(status, s -> store.get("h2") != null);
    assertThat(status.get().warming()).isTrue();
    ask.snapshotsTo().tell(delta("h2", true, 2));
    awaitStatus(status, s -> !s.warming());
    assertThat(store.size()).isEqualTo(2);

    model.tell(TopologyReadModel.Deactivate.INSTANCE);
    assertThat(topic.receiveMessage(Duration.ofSeconds(3))).isInstanceOf(TopicImpl.Unsubscribe.class);
    awaitStatus(status, s -> store.size() == 0);
    // a delta still in flight after the unsubscription is dropped
    subscriber.tell(delta("h3", true, 1));
    topic.expectNoMessage(Duration.ofMillis(300));
    assertThat(store.size()).isZero();
    testKit.stop(model);
  }

  private static void awaitStatus(ReadModelStatus status, java.util.function.Predicate<ReadModelStatus.State> p) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!p.test(status.get())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("status never matched: " + status.get());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }
}
