package io.portolan.node.proc;

import static io.portolan.node.Fixtures.bytes;
import static io.portolan.node.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PidFilesTest {

  static final String ID = "92aeb4266741b8cd6c01f27058fa9a02169a40590627ee6b280884e3125d3543";

  @Test
  void statOfAJavaProcess() {
    assertThat(PidStat.parse(text("proc/pid/stat-java"))).contains(
        new PidStat(4242, "java", 'S', 1, 1534, 287, 37, 123456, 5368709120L, 81234));
  }

  @Test
  void statCommIsEverythingUpToTheLastParenthesis() {
    assertThat(PidStat.parse(text("proc/pid/stat-comm-parens"))).contains(
        new PidStat(777, "we) (ird", 'S', 1, 5, 6, 2, 9999, 1000000, 42));
    assertThat(PidStat.parse(text("proc/pid/stat-comm-fake-fields"))).contains(
        new PidStat(779, "x) S 1 2 3", 'R', 5, 7, 8, 3, 8888, 2000000, 43));
    assertThat(PidStat.parse(text("proc/pid/stat-comm-spaces"))).contains(
        new PidStat(778, "tmux: server", 'R', 1, 1, 2, 1, 7777, 3000000, 44));
  }

  @Test
  void statOfAKernelThread() {
    assertThat(PidStat.parse(text("proc/pid/stat-kthread"))).contains(
        new PidStat(2, "kthreadd", 'S', 0, 0, 12, 1, 2, 0, 0));
  }

  /**
   * The byte parser of the hot path against the field-splitting one it replaced, on every fixture and on
   * every prefix of each (a read cut anywhere): same result, and never an exception.
   */
  @ParameterizedTest
  @ValueSource(strings = {"stat-java", "stat-kthread", "stat-comm-parens", "stat-comm-fake-fields",
      "stat-comm-spaces", "stat-truncated", "stat-no-parens", "stat-bad-pid"})
  void byteParserAgreesWithTheFieldParserOnEveryPrefix(String fixture) {
    byte[] all = bytes("proc/pid/" + fixture);
    for (int len = 0; len <= all.length; len++) {
      String prefix = new String(all, 0, len, java.nio.charset.StandardCharsets.UTF_8);
      assertThat(PidStat.parse(all, len)).as("%s cut at %d", fixture, len).isEqualTo(PidStat.parseFields(prefix));
    }
  }

  @Test
  void byteParserRejectsGarbageInTheNumbers() {
    byte[] b = "12 (x) S 1 2 3 4 5 6 7 8 9 10 1x 12 13 14 15 16 17 18 19 20 21 22".getBytes();
    assertThat(PidStat.parse(b, b.length)).isEmpty();
    byte[] neg = "12 (x) S -1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22".getBytes();
    assertThat(PidStat.parse(neg, neg.length)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"stat-truncated", "stat-no-parens", "stat-bad-pid"})
  void malformedStatIsEmptyNotAnException(String fixture) {
    assertThat(PidStat.parse(text("proc/pid/" + fixture))).isEmpty();
  }

  @Test
  void statOfEmptyOrGarbageIsEmpty() {
    assertThat(PidStat.parse("")).isEmpty();
    assertThat(PidStat.parse(")(")).isEmpty();
    assertThat(PidStat.parse("1 (a) ")).isEmpty();
  }

  @Test
  void statusGivesNameAndUids() {
    assertThat(PidStatus.parse(text("proc/pid/status-java"))).contains(new PidStatus("java", 1000, 1001));
    assertThat(PidStatus.parse(text("proc/pid/status-bad-uid"))).isEmpty();
    assertThat(PidStatus.parse(text("proc/pid/status-no-uid"))).isEmpty();
  }

  @Test
  void cmdlineSplitsOnNulAndKeepsEmptyArguments() {
    assertThat(Cmdline.parse(bytes("proc/pid/cmdline-java")))
        .containsExactly("java", "-Xmx1g", "-Dfoo=a b", "", "-jar", "app.jar");
    assertThat(Cmdline.parse(bytes("proc/pid/cmdline-nginx"))).containsExactly("nginx: worker process");
    assertThat(Cmdline.parse(bytes("proc/pid/cmdline-kthread"))).isEmpty();
    assertThat(Cmdline.parse(new byte[] {'s', 'h'})).containsExactly("sh");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "v1-docker", "v2-docker-systemd", "v2-docker-cgroupfs", "v1-kubepods-cgroupfs",
      "v2-kubepods-cri-containerd", "v2-containerd-colon", "v2-crio-nested"})
  void containerIdFromEveryCgroupLayout(String fixture) {
    assertThat(CgroupContainerId.parse(text("proc/cgroup/" + fixture))).contains(ID);
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1-host", "v2-host-session", "malformed"})
  void noContainerIdOnTheHostOrInGarbage(String fixture) {
    assertThat(CgroupContainerId.parse(text("proc/cgroup/" + fixture))).isEmpty();
  }

  @Test
  void socketInodeFromAnFdLinkTarget() {
    assertThat(FdSummary.socketInode("socket:[12345]")).hasValue(12345);
    assertThat(FdSummary.socketInode("pipe:[20957]")).isEmpty();
    assertThat(FdSummary.socketInode("/dev/null")).isEmpty();
    assertThat(FdSummary.socketInode("socket:[]")).isEmpty();
    assertThat(FdSummary.socketInode("socket:[12x]")).isEmpty();
    assertThat(FdSummary.socketInode("anon_inode:[eventpoll]")).isEmpty();
  }
}
