package io.portolan.node.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
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
      return new ZerodepDockerHttpClient.Builder()
          .dockerHost(settings.host())
          .sslConfig(() -> NoTls.CONTEXT)
          .maxConnections(settings.maxConnections())
          .connectionTimeout(settings.connectTimeout())
          .responseTimeout(settings.responseTimeout())
          .build();
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
