package io.portolan.cluster.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.portolan.cluster.TestConfigs;
import io.portolan.cluster.agent.AgentEntity.Command;
import io.portolan.cluster.agent.AgentEntity.Event;
import io.portolan.cluster.agent.AgentEntity.State;
import io.portolan.cluster.agent.AgentEntity.Status;
import io.portolan.cluster.agent.AgentEntity.Summary;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every command, event and state goes through serialization checks here: the test kit
 * round-trips commands, events and state through the configured (CBOR) serializer.
 */
class AgentEntityTest {

  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  private static final ActorTestKit testKit = ActorTestKit.create(
      TestConfigs.clusterNode()
          .withFallback(EventSourcedBehaviorTestKit.config())
          .withFallback(ConfigFactory.load()));

  private final EventSourcedBehaviorTestKit<Command, Event, State> kit = EventSourcedBehaviorTestKit.create(
      testKit.system(), AgentEntity.create("agent-1", Clock.fixed(NOW, ZoneOffset.UTC)));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void clear() {
    kit.clear();
  }

  @Test
  void registersAnAgent() {
    CommandResultWithReply<Command, Event, State, StatusReply<Summary>> result =
        kit.<StatusReply<Summary>>runCommand(r -> new AgentEntity.Register("host-a", Map.of("zone", "eu-1"), r));

    assertThat(result.reply().isSuccess()).isTrue();
    assertThat(result.event()).isEqualTo(new AgentEntity.Registered("agent-1", "host-a", Map.of("zone", "eu-1"), NOW));
    State state = result.state();
    assertThat(state.status()).isEqualTo(Status.REGISTERED);
    assertThat(state.hostname()).isEqualTo("host-a");
    assertThat(state.labels()).containsEntry("zone", "eu-1");
    assertThat(result.reply().getValue().servedBy()).startsWith("pekko://");
  }

  @Test
  void unknownAgentAnswersGetWithUnknownAndRejectsUpdates() {
    var get = kit.<Summary>runCommand(AgentEntity.Get::new);
    assertThat(get.reply().agent().status()).isEqualTo(Status.UNKNOWN);
    assertThat(get.hasNoEvents()).isTrue();

    var update = kit.<StatusReply<Summary>>runCommand(r -> new AgentEntity.UpdateLabels(Map.of("a", "b"), r));
    assertThat(update.reply().isError()).isTrue();
    assertThat(update.reply().getError().getMessage()).contains("not registered");
    assertThat(update.hasNoEvents()).isTrue();
  }

  @Test
  void rejectsInvalidRegistrationWithoutEvents() {
    Map<String, String> labels = new HashMap<>();
    labels.put("bad key!", "x");
    var result = kit.<StatusReply<Summary>>runCommand(r -> new AgentEntity.Register("not a host", labels, r));
    assertThat(result.reply().isError()).isTrue();
    assertThat(result.reply().getError().getMessage()).contains("hostname").contains("bad key!");
    assertThat(result.hasNoEvents()).isTrue();
    assertThat(result.state().status()).isEqualTo(Status.UNKNOWN);
  }

  @Test
  void reRegistrationForTheSameHostOnlyUpdatesChangedLabels() {
    kit.<StatusReply<Summary>>runCommand(r -> new AgentEntity.Register("host-a", Map.of("zone", "eu-1"), r));

    var same = kit.<StatusReply<Summary>>runCommand(r -> new AgentEntity.Register("host-a", Map.of("zone", "eu-1"), r));
    assertThat(same.hasNoEvents()).isTrue();

    var changed = kit.<StatusReply<Summary>>runCommand(r -> new AgentEntity.Register("host-a", Map.of("zone", "eu-2"), r));
    assertThat(changed.event()).isEqualTo(new AgentEntity.LabelsUpdated("agent-1", Map.of("zone", "eu-2"), NOW));

    var otherHost = kit.<StatusReply<Summary>>runCommand(r -> new AgentEntity.Register("host-b", Map.of(), r));
    assertThat(otherHost.reply().isError()).isTrue();
    assertThat(otherHost.reply().getError().getMessage()).contains("host-a").contains("retire");
    assertThat(otherHost.state().hostname()).isEqualTo("host-a");
  }

  @Test
  void tracksConnectionsAndDisconnections() {
    kit.<StatusReply<Summary>>runCommand(r -> new AgentEntity.Register("host-a", Map.of(), r));
    var connected = kit.<StatusReply<Summary>>runCommand(
        r -> new AgentEntity.RecordConnected("pekko://portolan@127.0.0.1:25520", "0.1.0", r));
    assertThat(connected.state().connected()).isTrue();
    assertThat(connected.state().connections()).isEqualTo(1);
    assertThat(connected.state().lastConnectedAt()).isEqualTo(NOW);

    var disconnected = kit.<StatusReply<Summary>>runCommand(AgentEntity.RecordDisconnected::new);
    assertThat(disconnected.state().connected()).isFalse();
    assertThat(disconnected.state().lastDisconnectedAt()).isEqualTo(NOW);

    var again = kit.<StatusReply<Summary>>runCommand(AgentEntity.RecordDisconnected::new);
    assertThat(again.hasNoEvents()).isTrue();
  }

  @Test
  void retiredAgentRefusesChangesAndKeepsItsHistory() {
    kit.<StatusReply<Summary>>runCommand(r -> new AgentEntity.Register("host-a", Map.of("zone", "eu-1"), r));
    var retired = kit.<StatusReply<Summary>>runCommand(r -> new AgentEntity.Retire("host decommissioned", r));
    assertThat(retired.state().status()).isEqualTo(Status.RETIRED);

    var register = kit.<StatusReply<Summary>>runCommand(r -> new AgentEntity.Register("host-a", Map.of(), r));
    assertThat(register.reply().isError()).isTrue();
    assertThat(register.reply().getError().getMessage()).contains("retired").contains("host decommissioned");
    assertThat(register.state().labels()).containsEntry("zone", "eu-1");
  }

  @Test
  void stateIsRebuiltFromEventsAfterRestart() {
    kit.<StatusReply<Summary>>runCommand(r -> new AgentEntity.Register("host-a", Map.of("zone", "eu-1"), r));
    kit.<StatusReply<Summary>>runCommand(r -> new AgentEntity.UpdateLabels(Map.of("zone", "eu-2", "rack", "r7"), r));
    kit.<StatusReply<Summary>>runCommand(r -> new AgentEntity.RecordConnected("node-1", "0.1.0", r));

    var restarted = kit.restart();
    assertThat(restarted.state().labels()).isEqualTo(Map.of("zone", "eu-2", "rack", "r7"));
    assertThat(restarted.state().connections()).isEqualTo(1);
    assertThat(restarted.state().status()).isEqualTo(Status.REGISTERED);
  }
}
