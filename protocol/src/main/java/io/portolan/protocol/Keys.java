package io.portolan.protocol;

/** Entry keys: {@code <kind>:<id>}, unique across the whole cluster. */
public final class Keys {

  private Keys() {}

  public static String host(String hostId) {
    return "host:" + hostId;
  }

  public static String container(String containerId) {
    return "container:" + containerId;
  }

  public static String process(String hostId, int pid) {
    return "process:" + hostId + ";" + pid;
  }

  public static String connection(String hostId, String protocol, String local, int localPort,
      String remote, int remotePort) {
    return "connection:" + hostId + ";" + protocol + ";" + local + ":" + localPort + ";" + remote + ":" + remotePort;
  }

  /** The kind of a key ({@code container} for {@code container:abc}), or "" when it has none. */
  public static String kindOf(String key) {
    int colon = key.indexOf(':');
    return colon <= 0 ? "" : key.substring(0, colon);
  }

  /** The kind name a payload is keyed under. */
  public static String kindOf(Payload payload) {
    if (payload instanceof Payload.Host) {
      return "host";
    } else if (payload instanceof Payload.Container) {
      return "container";
    } else if (payload instanceof Payload.Process) {
      return "process";
    } else {
      return "connection";
    }
  }
}
