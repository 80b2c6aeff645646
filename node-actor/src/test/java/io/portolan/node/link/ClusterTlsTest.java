package io.portolan.node.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.portolan.node.agent.AgentSettings;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

class ClusterTlsTest {

  private static AgentSettings settings(List<String> cluster) {
    return AgentSettings.fromConfig(ConfigFactory.parseMap(Map.of("portolan.node.agent.cluster", cluster))
        .withFallback(ConfigFactory.parseResources("reference.conf")).resolve());
  }

  @Test
  void plainWebSocketAddressesGetNoTls() {
    SSLContext ctx = ClusterTls.sslContext(settings(List.of("ws://a:4040", "b:4040")));
    assertThat(ctx).isSameAs(ClusterTls.NONE);
    assertThatThrownBy(ctx::createSSLEngine).isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("not set up");
    assertThatThrownBy(ctx::getSocketFactory).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void oneSecureAddressGetsTheDefaultTrust() throws Exception {
    SSLContext ctx = ClusterTls.sslContext(settings(List.of("ws://a:4040", "wss://b:4443")));
    assertThat(ctx).isNotSameAs(ClusterTls.NONE).isSameAs(SSLContext.getDefault());
  }
}
