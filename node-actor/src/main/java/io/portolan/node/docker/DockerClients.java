package io.portolan.node.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import com.github.dockerjava.zerodep.shaded.org.apache.hc.client5.http.psl.PublicSuffixMatcher;
import com.github.dockerjava.zerodep.shaded.org.apache.hc.client5.http.psl.PublicSuffixMatcherLoader;
import io.portolan.node.link.NoTls;

/**
 * Builds docker-java clients on the zerodep transport (no Jersey/Netty/OkHttp on the agent's classpath).
 * The caller owns the returned client and closes it.
 *
 * <p>Timeouts: the connect timeout always applies. The response timeout is a socket read timeout and
 * only takes effect for {@code tcp://} hosts: docker-java 3.5.1's unix-socket implementation ignores
 * {@code SO_TIMEOUT} (observed: a 1 s response timeout did not cut off a 3 s {@code /wait}). Callers
 * must therefore bound every call themselves (await with a timeout, or a timed future on the
 * blocking dispatcher) and never rely on this client to give up.
 */
public final class DockerClients {

  private DockerClients() {}

  /** The bare HTTP transport, for callers that speak the Engine API's JSON themselves ({@link DockerHttpPort}). */
  public static com.github.dockerjava.transport.DockerHttpClient createHttp(DockerSettings settings) {
    if ("unix".equals(settings.host().getScheme())) {
      // No TLS on a unix socket: skip docker-java-core's config machinery (fewer classes loaded in the agent),
      // and hand the transport a context that is never used: without one it builds the JVM's default TLS
      // context at once (the JDK's TLS stack and trust store, see NoTls).
      return withoutPublicSuffixList(() -> new ZerodepDockerHttpClient.Builder()
          .dockerHost(settings.host())
          .sslConfig(() -> NoTls.CONTEXT)
          .maxConnections(settings.maxConnections())
          .connectionTimeout(settings.connectTimeout())
          .responseTimeout(settings.responseTimeout())
          .build());
    }
    DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(settings.host().toString())
        .build();
    return new ZerodepDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .sslConfig(config.getSSLConfig())
        .maxConnections(settings.maxConnections())
        .connectionTimeout(settings.connectTimeout())
        .responseTimeout(settings.responseTimeout())
        .build();
  }

  /**
   * Builds a client without loading HttpClient 5's public suffix list. The zerodep transport builds its
   * HttpClient with cookie management on, and the default cookie specs take the loader's default matcher:
   * the whole list (~9,300 rules, ~0.9 MB of heap kept for the JVM's life; BENCHMARK.md). The Docker engine
   * sets no cookies and a unix socket has no TLS (the list's other user is the TLS hostname verifier), so
   * the client is built while the default is an empty matcher, under the loader's own lock; the default is
   * unset again afterwards, so any later client (a {@code tcp://} host with TLS) still gets the real list.
   * When the shaded loader does not look as expected (another docker-java version), the client is built as
   * is and the list is loaded.
   */
  static <T> T withoutPublicSuffixList(java.util.function.Supplier<T> build) {
    java.lang.reflect.Field instance;
    java.util.concurrent.locks.Lock lock;
    try {
      instance = PublicSuffixMatcherLoader.class.getDeclaredField("DEFAULT_INSTANCE");
      java.lang.reflect.Field lockField = PublicSuffixMatcherLoader.class.getDeclaredField("lock");
      instance.setAccessible(true);
      lockField.setAccessible(true);
      lock = (java.util.concurrent.locks.Lock) lockField.get(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return build.get();
    }
    lock.lock();
    try {
      if (instance.get(null) != null) {
        return build.get(); // already loaded: nothing to save
      }
      instance.set(null, new PublicSuffixMatcher(java.util.List.of(), java.util.List.of()));
      try {
        return build.get();
      } finally {
        instance.set(null, null);
      }
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    } finally {
      lock.unlock();
    }
  }

  public static DockerClient create(DockerSettings settings) {
    // The default builder still reads DOCKER_TLS_VERIFY / DOCKER_CERT_PATH for tcp:// hosts;
    // the host itself always comes from our settings.
    DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(settings.host().toString())
        .build();
    var http = new ZerodepDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .sslConfig(config.getSSLConfig())
        .maxConnections(settings.maxConnections())
        .connectionTimeout(settings.connectTimeout())
        .responseTimeout(settings.responseTimeout())
        .build();
    return DockerClientImpl.getInstance(config, http);
  }
}
