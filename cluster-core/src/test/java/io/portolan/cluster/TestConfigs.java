package io.portolan.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/** Configuration shared by the tests that run an actor system of their own. */
public final class TestConfigs {

  private TestConfigs() {}

  /**
   * A one-node cluster system on a free loopback port, with the project's serializers, so that messages
   * are checked for serializability as they would be between nodes.
   */
  public static Config clusterNode() {
    return ConfigFactory.parseString("pekko.actor.provider = cluster\n"
            + "pekko.remote.artery.canonical.port = 0\n"
            + "pekko.remote.artery.canonical.hostname = 127.0.0.1\n")
        .withFallback(ConfigFactory.parseResources("serialization.conf"));
  }
}
