package io.portolan.persistence.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.portolan.persistence.testing.TestCassandra;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;

/** docs/cassandra-schema.cql is what the plugin needs: it works with autocreate off. */
class PekkoSchemaIT {

  private static final Path SCHEMA = Path.of("..", "docs", "cassandra-schema.cql");

  @Test
  void thePluginWorksOnTheDocumentedSchemaWithAutocreateOff() throws IOException {
    RunningCassandra cassandra = TestCassandra.shared();
    String keyspace = TestCassandra.uniqueKeyspace("schema");
    try (CqlSession session = CassandraLauncherIT.session(cassandra)) {
      for (String statement : statements(Files.readString(SCHEMA), keyspace)) {
        session.execute(statement);
      }
    }
    Config config =
        ConfigFactory.parseString(
                "pekko.persistence.cassandra.journal.keyspace-autocreate = off\n"
                    + "pekko.persistence.cassandra.journal.tables-autocreate = off\n"
                    + "pekko.persistence.cassandra.snapshot.keyspace-autocreate = off\n"
                    + "pekko.persistence.cassandra.snapshot.tables-autocreate = off\n"
                    + "pekko.actor.allow-java-serialization = on\n"
                    + "pekko.actor.warn-about-java-serializer-usage = off")
            .withFallback(TestCassandra.pekkoPersistenceConfig(cassandra, keyspace))
            .withFallback(ConfigFactory.load());

    ActorTestKit testKit = ActorTestKit.create("schema", config);
    try {
      TestProbe<List<String>> probe = testKit.createTestProbe();
      ActorRef<PekkoPersistenceIT.Notes.Command> notes =
          testKit.spawn(PekkoPersistenceIT.Notes.create("s-1"));
      for (String note : List.of("x", "y", "z")) {
        notes.tell(new PekkoPersistenceIT.Notes.Add(note, probe.ref()));
      }
      assertThat(probe.receiveMessage(Duration.ofSeconds(30))).containsExactly("x");
      assertThat(probe.receiveMessage(Duration.ofSeconds(30))).containsExactly("x", "y");
      assertThat(probe.receiveMessage(Duration.ofSeconds(30))).containsExactly("x", "y", "z");
    } finally {
      testKit.shutdownTestKit();
    }
    try (CqlSession session = CassandraLauncherIT.session(cassandra)) {
      assertThat(session.execute("SELECT count(*) FROM " + keyspace + ".messages").one().getLong(0)).isEqualTo(3);
      assertThat(session.execute("SELECT count(*) FROM " + keyspace + ".snapshots").one().getLong(0)).isPositive();
    }
  }

  /** The file's statements for a single node: our keyspace name, replication factor 1. */
  private static List<String> statements(String cql, String keyspace) {
    String withoutComments =
        cql.lines().filter(l -> !l.strip().startsWith("--")).collect(Collectors.joining("\n"));
    return Arrays.stream(withoutComments.split(";"))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .map(
            s ->
                s.replace("EXISTS portolan\n", "EXISTS " + keyspace + "\n")
                    .replace("portolan.", keyspace + ".")
                    .replace("'datacenter1': 3", "'datacenter1': 1"))
        .toList();
  }
}
