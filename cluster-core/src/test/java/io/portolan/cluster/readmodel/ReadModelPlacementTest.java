package io.portolan.cluster.readmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portolan.cluster.readmodel.ReadModelPlacement.Candidate;
import io.portolan.cluster.readmodel.ReadModelPlacement.ViewNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReadModelPlacementTest {

  private static Candidate member(int n, String... roles) {
    return new Candidate("pekko://portolan@10.0.0." + n + ":25520", "10.0.0." + n, Set.of(roles));
  }

  @Test
  void theOldestMembersWithAnHttpEndpointAreTheViewNodes() {
    List<Candidate> oldestFirst = List.of(member(1, "http:4040"), member(2, "other"), member(3, "https:4443"),
        member(4, "http:4040"));
    assertThat(ReadModelPlacement.choose(oldestFirst, 1))
        .containsExactly(new ViewNode("pekko://portolan@10.0.0.1:25520", "http://10.0.0.1:4040"));
    // member 2 announces no endpoint: it cannot be asked, so it is skipped
    assertThat(ReadModelPlacement.choose(oldestFirst, 2)).extracting(ViewNode::httpBase)
        .containsExactly("http://10.0.0.1:4040", "https://10.0.0.3:4443");
    assertThat(ReadModelPlacement.choose(oldestFirst, 5)).hasSize(3);
    assertThat(ReadModelPlacement.choose(List.of(), 1)).isEmpty();
    assertThatThrownBy(() -> ReadModelPlacement.choose(oldestFirst, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void whenTheViewNodeLeavesTheNextOldestTakesOverAndTheOthersStay() {
    List<Candidate> before = List.of(member(1, "http:4040"), member(2, "http:4040"), member(3, "http:4040"));
    List<Candidate> after = List.of(member(2, "http:4040"), member(3, "http:4040"));
    assertThat(ReadModelPlacement.choose(before, 2)).extracting(ViewNode::address)
        .containsExactly(before.get(0).address(), before.get(1).address());
    assertThat(ReadModelPlacement.choose(after, 2)).extracting(ViewNode::address)
        .containsExactly(before.get(1).address(), before.get(2).address());
    // a newer member joining does not move the model
    List<Candidate> joined = List.of(member(2, "http:4040"), member(3, "http:4040"), member(5, "http:4040"));
    assertThat(ReadModelPlacement.choose(joined, 2)).isEqualTo(ReadModelPlacement.choose(after, 2));
  }

  @Test
  void httpRolesRoundTripAndBadOnesAreIgnored() {
    assertThat(ReadModelPlacement.httpRole(false, 4040)).isEqualTo("http:4040");
    assertThat(ReadModelPlacement.httpRole(true, 8443)).isEqualTo("https:8443");
    assertThat(ReadModelPlacement.httpBase("h", Set.of(ReadModelPlacement.httpRole(true, 8443))))
        .contains("https://h:8443");
    assertThat(ReadModelPlacement.httpBase("fd00::1", Set.of("http:4040"))).contains("http://[fd00::1]:4040");
    assertThat(ReadModelPlacement.httpBase("h", Set.of("http:0", "http:x", "httpx:1", "dc-default"))).isEmpty();
  }

  @Test
  void forwardingNodesAreSpreadOverTheViewNodesAndFallBackToTheOthers() {
    List<ViewNode> views = List.of(new ViewNode("a", "http://a:1"), new ViewNode("b", "http://b:1"));
    Map<String, Integer> firstChoices = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      List<ViewNode> order = ReadModelPlacement.forwardOrder("pekko://portolan@10.0.1." + i + ":25520", views);
      assertThat(order).containsExactlyInAnyOrderElementsOf(views);
      firstChoices.merge(order.get(0).address(), 1, Integer::sum);
    }
    assertThat(firstChoices.get("a")).isBetween(25, 75);
    assertThat(ReadModelPlacement.forwardOrder("x", List.of())).isEmpty();
    assertThat(ReadModelPlacement.forwardOrder("x", views)).isEqualTo(ReadModelPlacement.forwardOrder("x", views));
  }
}
