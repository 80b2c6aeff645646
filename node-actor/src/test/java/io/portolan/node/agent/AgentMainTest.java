package io.portolan.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.apache.commons.cli.ParseException;
import org.junit.jupiter.api.Test;

/** AgentMain's command line: every flag reaches the config, help lists them, bad command lines say what is wrong. */
class AgentMainTest {

  private static final Map<String, String> NO_ENV = Map.of();

  private static AgentMain parse(Map<String, String> env, String... args) throws ParseException {
    return AgentMain.parse(args, env::get);
  }

  /** Runs the command line as main does (short of starting the agent) and returns exit code, stdout, stderr. */
  private record Run(AgentMain.Outcome outcome, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AgentMain.Outcome o = AgentMain.commandLine(args, NO_ENV::get, new PrintWriter(out), new PrintWriter(err));
    return new Run(o, out.toString(), err.toString());
  }

  @Test
  void everyFlagReachesTheConfig() throws Exception {
    Config c = parse(NO_ENV, "--cluster", "ws://a:4040,ws://b:4040", "--cluster=wss://c:4443", "--token", "t0k",
        "--agent-id=node-7", "--proc-root", "/host/proc", "--docker-host", "tcp://docker:2375",
        "--publish-interval", "2s", "--full-report-interval=45s", "--truststore", "/etc/ts.p12",
        "--truststore-password", "pw", "--allow-host-exec").config();
    assertThat(c.getStringList("portolan.node.agent.cluster")).containsExactly("ws://a:4040", "ws://b:4040", "wss://c:4443");
    assertThat(c.getString("portolan.node.agent.token")).isEqualTo("t0k");
    assertThat(c.getString("portolan.node.agent.agent-id")).isEqualTo("node-7");
    assertThat(c.getString("portolan.node.agent.proc-root")).isEqualTo("/host/proc");
    assertThat(c.getString("portolan.node.docker.host")).isEqualTo("tcp://docker:2375");
    assertThat(c.getDuration("portolan.node.agent.publish-interval").toSeconds()).isEqualTo(2);
    assertThat(c.getDuration("portolan.node.agent.full-report-interval").toSeconds()).isEqualTo(45);
    assertThat(c.getString("portolan.node.agent.truststore")).isEqualTo("/etc/ts.p12");
    assertThat(c.getString("portolan.node.agent.truststore-password")).isEqualTo("pw");
    assertThat(c.getBoolean("portolan.node.agent.host-exec")).isTrue();
  }

  @Test
  void tokenAndTrustStoreDefaultToTheirEnvironmentVariablesAndFlagsWin() throws Exception {
    Map<String, String> env = Map.of("PORTOLAN_AGENT_TOKEN", "from-env", "PORTOLAN_AGENT_TRUSTSTORE", "/env/ts.p12",
        "PORTOLAN_AGENT_TRUSTSTORE_PASSWORD", "env-pw");
    AgentMain fromEnv = parse(env, "--cluster", "ws://a:4040");
    assertThat(fromEnv.token).isEqualTo("from-env");
    assertThat(fromEnv.truststore).isEqualTo("/env/ts.p12");
    assertThat(fromEnv.truststorePassword).isEqualTo("env-pw");
    assertThat(parse(env, "--cluster", "ws://a:4040", "--token", "flag").token).isEqualTo("flag");
    AgentMain none = parse(NO_ENV, "--cluster", "ws://a:4040");
    assertThat(none.token).isNull();
    assertThat(none.config().hasPath("portolan.node.agent.agent-id")).isTrue(); // the default (hostname) stays
  }

  @Test
  void helpListsEveryOptionWithItsDescriptionAndNeedsNoCluster() {
    Run r = run("--help");
    assertThat(r.outcome()).isEqualTo(new AgentMain.Outcome(null, 0));
    assertThat(r.out()).startsWith("usage: portolan-agent --cluster=ws://HOST:PORT");
    // descriptions are wrapped to 80 columns: compare with runs of white space made one space
    assertThat(r.out().replaceAll("\\s+", " ")).contains(AgentMain.DESCRIPTION)
        .contains("--cluster=<URL[,URL...]>", "ws://HOST:PORT or wss://HOST:PORT", "--token=<TOKEN>", "--agent-id=<ID>",
            "--proc-root=<DIR>", "--docker-host=<URI>", "--publish-interval=<DURATION>",
            "--full-report-interval=<DURATION>", "--truststore=<FILE>", "--truststore-password=<PASSWORD>",
            "--allow-host-exec", "-h,--help", "-V,--version", "$PORTOLAN_AGENT_TOKEN", "unix:///var/run/docker.sock");
    assertThat(r.out().indexOf("--cluster=<")).isLessThan(r.out().indexOf("--token=<")); // declared order
    assertThat(r.err()).isEmpty();
    assertThat(run("-h").out()).isEqualTo(r.out());
  }

  @Test
  void versionPrintsTheNameAndNeedsNoCluster() {
    Run r = run("-V");
    assertThat(r.outcome().exitCode()).isZero();
    assertThat(r.outcome().agent()).isNull();
    assertThat(r.out()).startsWith("portolan-agent ");
  }

  @Test
  void aValidCommandLineStartsTheAgent() {
    Run r = run("--cluster=ws://a:4040");
    assertThat(r.outcome().agent()).isNotNull();
    assertThat(r.outcome().agent().cluster).containsExactly("ws://a:4040");
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEmpty();
  }

  @Test
  void badCommandLinesExitWithTwoAndSayWhatIsWrong() {
    assertUsageError(run("--cluster", "ws://a:4040", "--bogus"), "Unrecognized option: --bogus");
    assertUsageError(run(), "Missing required option: '--cluster=ws://HOST:PORT'");
    assertUsageError(run("--token", "x"), "Missing required option: '--cluster=ws://HOST:PORT'");
    assertUsageError(run("--cluster"), "Missing argument for option: cluster");
    assertUsageError(run("--cluster", "ws://a:4040", "stray"), "Unexpected argument: 'stray'");
    // no abbreviations (picocli did not take them either): --clus is not --cluster
    assertUsageError(run("--clus", "ws://a:4040"), "Unrecognized option: --clus");
  }

  @Test
  void parseThrowsWithTheSameMessages() {
    assertThatThrownBy(() -> parse(NO_ENV, "--cluster", "ws://a:4040", "--proc-root"))
        .isInstanceOf(ParseException.class).hasMessageContaining("proc-root");
    assertThatThrownBy(() -> parse(NO_ENV, "--cluster", " , ")).hasMessageContaining("Missing required option");
  }

  private static void assertUsageError(Run r, String message) {
    assertThat(r.outcome()).isEqualTo(new AgentMain.Outcome(null, AgentMain.USAGE_ERROR));
    assertThat(r.err()).startsWith(message).contains("Usage: portolan-agent --cluster=ws://HOST:PORT");
    assertThat(r.out()).isEmpty();
  }
}
