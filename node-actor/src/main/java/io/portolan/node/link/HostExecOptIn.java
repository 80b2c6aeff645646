package io.portolan.node.link;

import java.util.Locale;
import java.util.Map;

/**
 * Whether this agent runs shells on its host (host exec). Off unless the agent is started with
 * {@code PORTOLAN_AGENT_HOST_EXEC=true} or {@code -Dportolan.agent.host-exec=true}: a shell on the
 * host is root on the machine, so it is an explicit choice per agent, on top of the node's check that
 * the caller is an admin. ({@code make run}'s local agent turns it on.)
 */
final class HostExecOptIn {

  static final String ENV = "PORTOLAN_AGENT_HOST_EXEC";
  static final String PROPERTY = "portolan.agent.host-exec";

  private HostExecOptIn() {}

  static boolean fromEnvironment() {
    return decide(System.getProperty(PROPERTY), System.getenv());
  }

  /** The system property wins over the environment; only "true" (any case) turns it on. */
  static boolean decide(String property, Map<String, String> env) {
    String value = property != null ? property : env.get(ENV);
    return value != null && value.trim().toLowerCase(Locale.ROOT).equals("true");
  }
}
