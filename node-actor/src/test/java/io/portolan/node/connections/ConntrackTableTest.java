package io.portolan.node.connections;

import static io.portolan.node.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.portolan.node.parse.Parsed;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The incremental table parser gives what the line parser gives, parsing only what changed. */
class ConntrackTableTest {

  static Parsed<ConntrackFlow> parse(ConntrackTable t, String text) {
    byte[] b = text.getBytes(StandardCharsets.US_ASCII);
    return t.parse(b, b.length);
  }

  @Test
  void sameFlowsAsTheLineParserOnTheFixturesIncludingMalformedOnes() {
    for (String fixture : new String[] {"connections/nf_conntrack", "connections/conntrack-L"}) {
      String text = text(fixture);
      ConntrackTable t = new ConntrackTable();
      assertThat(parse(t, text)).as(fixture).isEqualTo(ConntrackFlow.parse(text));
      // again: everything comes from the previous read, skipped lines are still counted
      assertThat(parse(t, text)).as(fixture).isEqualTo(ConntrackFlow.parse(text));
      assertThat(t.parsedLast()).isZero();
    }
  }

  @Test
  void everyTruncationOfTheFixtureMatchesTheLineParserAndNeverThrows() {
    String text = text("connections/nf_conntrack");
    ConntrackTable t = new ConntrackTable();
    for (int len = 0; len <= text.length(); len += 7) {
      String cut = text.substring(0, len);
      assertThat(parse(t, cut)).as("cut at %d", len).isEqualTo(ConntrackFlow.parse(cut));
    }
  }

  @Test
  void aCountedDownTimeoutReusesTheFlowAndAChangedStateParsesTheLineAgain() {
    String a = "ipv4     2 tcp      6 431999 ESTABLISHED src=10.0.0.2 dst=10.0.0.3 sport=43210 dport=80"
        + " src=10.0.0.3 dst=10.0.0.2 sport=80 dport=43210 [ASSURED] mark=0 zone=0 use=2\n";
    String b = "ipv4     2 udp      17 29 src=10.0.0.2 dst=10.0.0.9 sport=5000 dport=53"
        + " src=10.0.0.9 dst=10.0.0.2 sport=53 dport=5000 [UNREPLIED] mark=0 zone=0 use=2\n";
    ConntrackTable t = new ConntrackTable();
    parse(t, a + b);
    assertThat(t.parsedLast()).isEqualTo(2);

    String later = a.replace("431999", "431990") + b;
    Parsed<ConntrackFlow> p = parse(t, later);
    assertThat(t.parsedLast()).isZero();
    assertThat(p).isEqualTo(ConntrackFlow.parse(later));
    assertThat(p.values().get(0).timeoutSeconds()).isEqualTo(431990);

    String closed = a.replace("431999 ESTABLISHED", "119 TIME_WAIT") + b;
    p = parse(t, closed);
    assertThat(t.parsedLast()).isEqualTo(1);
    assertThat(p.values().get(0).state()).contains("TIME_WAIT");

    // same bytes in other fields than the timeout: a different flow, not a cache hit
    String otherPort = closed.replace("sport=43210 dport=80", "sport=43211 dport=80");
    p = parse(t, otherPort);
    assertThat(p).isEqualTo(ConntrackFlow.parse(otherPort));
  }

  @Test
  void readsTheFileInChunksWithLinesAcrossChunkBoundaries(@TempDir Path dir) throws Exception {
    String line = "ipv4     2 tcp      6 100 ESTABLISHED src=10.0.%d.%d dst=10.0.0.3 sport=43210 dport=80"
        + " src=10.0.0.3 dst=10.0.%d.%d sport=80 dport=43210 [ASSURED] mark=0 zone=0 use=2\n";
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 3000; i++) { // ~600 KB: many chunks, lines cut at chunk ends
      sb.append(String.format(line, i / 250, i % 250, i / 250, i % 250));
    }
    Path f = dir.resolve("nf_conntrack");
    Files.writeString(f, sb);
    ConntrackTable t = new ConntrackTable();
    Parsed<ConntrackFlow> p = t.read(f);
    assertThat(p.values()).hasSize(3000);
    assertThat(p.skipped()).isZero();
    assertThat(p).isEqualTo(ConntrackFlow.parse(sb.toString()));
    assertThat(t.read(f)).isEqualTo(p);
    assertThat(t.parsedLast()).isZero();

    // a line longer than a chunk (malformed), and a last line without its newline
    int cut = sb.indexOf("\n", 1000) + 1;
    String text = sb.substring(0, cut) + "x".repeat(3 * ConntrackTable.CHUNK) + "\n"
        + sb.substring(cut, sb.length() - 1);
    Files.writeString(f, text);
    ConntrackTable u = new ConntrackTable();
    Parsed<ConntrackFlow> q = u.read(f);
    assertThat(q).isEqualTo(ConntrackFlow.parse(text));
    assertThat(q.skipped()).isOne();
    assertThat(q.values()).hasSize(3000);
  }
}
