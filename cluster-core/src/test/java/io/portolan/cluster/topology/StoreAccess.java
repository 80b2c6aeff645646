package io.portolan.cluster.topology;

/** Lets tests of other packages write a {@link TopologyStore} as the read model does. */
public final class StoreAccess {

  private StoreAccess() {}

  public static void put(TopologyStore store, HostSnapshot snapshot) {
    store.put(snapshot);
  }

  public static void remove(TopologyStore store, String hostId) {
    store.remove(hostId);
  }
}
