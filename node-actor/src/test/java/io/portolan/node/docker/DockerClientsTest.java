package io.portolan.node.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.zerodep.shaded.org.apache.hc.client5.http.psl.PublicSuffixMatcher;
import com.github.dockerjava.zerodep.shaded.org.apache.hc.client5.http.psl.PublicSuffixMatcherLoader;
import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;

class DockerClientsTest {

  @Test
  void theUnixSocketTransportIsBuiltWithoutThePublicSuffixListWhichOthersStillGet() throws Exception {
    Field loaded = PublicSuffixMatcherLoader.class.getDeclaredField("DEFAULT_INSTANCE");
    loaded.setAccessible(true);
    loaded.set(null, null); // as in a fresh agent JVM: nothing has loaded the list yet

    PublicSuffixMatcher during = DockerClients.withoutPublicSuffixList(PublicSuffixMatcherLoader::getDefault);
    // no rules: "co.uk" is not known as a public suffix
    assertThat(during.getDomainRoot("www.example.co.uk")).isEqualTo("co.uk");
    assertThat(loaded.get(null)).as("the list stays unloaded").isNull();

    // the real list for everyone else
    assertThat(PublicSuffixMatcherLoader.getDefault().getDomainRoot("www.example.co.uk")).isEqualTo("example.co.uk");
  }

  @Test
  void aUnixSocketTransportIsBuiltThatWay() throws Exception {
    Field loaded = PublicSuffixMatcherLoader.class.getDeclaredField("DEFAULT_INSTANCE");
    loaded.setAccessible(true);
    loaded.set(null, null);
    DockerSettings settings = new DockerSettings(java.net.URI.create("unix:///nonexistent/docker.sock"),
        java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1), 2);
    try (var http = DockerClients.createHttp(settings)) {
      assertThat(http).isNotNull();
    }
    assertThat(loaded.get(null)).as("public suffix list loaded while building the client").isNull();
  }
}
