package io.portolan.cluster.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Rules for agent ids, hostnames and labels. The HTTP routes use them to answer 400 with every
 * problem at once; the entity uses them again so that no other caller can store bad data.
 */
public final class AgentValidation {

  public static final int MAX_LABELS = 64;
  public static final int MAX_LABEL_KEY = 63;
  public static final int MAX_LABEL_VALUE = 256;
  public static final int MAX_HOSTNAME = 253;

  private static final Pattern AGENT_ID = Pattern.compile("[a-z0-9]([a-z0-9._-]{0,62})");
  private static final Pattern HOSTNAME =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*");
  private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._/-]*)");

  private AgentValidation() {}

  /** @return a message saying what is wrong with the id, or null when it is valid */
  public static String checkAgentId(String agentId) {
    if (agentId == null || !AGENT_ID.matcher(agentId).matches()) {
      return "agent id must be 1-63 characters of a-z, 0-9, '.', '_' or '-', starting with a letter"
          + " or digit (got '" + abbreviate(agentId) + "')";
    }
    return null;
  }

  /** @return every problem with the registration, empty when it is valid */
  public static List<String> checkRegistration(String hostname, Map<String, String> labels) {
    List<String> problems = new ArrayList<>();
    if (hostname == null || hostname.isBlank()) {
      problems.add("'hostname' is required");
    } else if (hostname.length() > MAX_HOSTNAME || !HOSTNAME.matcher(hostname).matches()) {
      problems.add("'hostname' must be a DNS name of at most " + MAX_HOSTNAME
          + " characters (got '" + abbreviate(hostname) + "')");
    }
    problems.addAll(checkLabels(labels));
    return problems;
  }

  public static List<String> checkLabels(Map<String, String> labels) {
    List<String> problems = new ArrayList<>();
    if (labels == null) {
      return problems;
    }
    if (labels.size() > MAX_LABELS) {
      problems.add("at most " + MAX_LABELS + " labels are allowed (got " + labels.size() + ")");
    }
    labels.forEach((key, value) -> {
      if (key == null || key.length() > MAX_LABEL_KEY || !LABEL_KEY.matcher(key).matches()) {
        problems.add("label key '" + abbreviate(key) + "' must be 1-" + MAX_LABEL_KEY
            + " characters of letters, digits, '.', '_', '/' or '-'");
      }
      if (value == null) {
        problems.add("label '" + abbreviate(key) + "' needs a string value");
      } else if (value.length() > MAX_LABEL_VALUE) {
        problems.add("label '" + abbreviate(key) + "' value is longer than " + MAX_LABEL_VALUE
            + " characters");
      }
    });
    return problems;
  }

  private static String abbreviate(String s) {
    if (s == null) {
      return "";
    }
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
