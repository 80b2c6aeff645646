package io.portolan.node.agent;

import io.portolan.node.kubernetes.KubernetesPart;
import io.portolan.node.connections.ConntrackPort;
import io.portolan.node.connections.ConntrackReader;
import io.portolan.node.connections.ProcSocketPort;
import io.portolan.node.connections.SocketPort;
import io.portolan.node.docker.DockerHttpPort;
import io.portolan.node.docker.DockerPort;
import io.portolan.node.host.HostPort;
import io.portolan.node.host.ProcHostPort;
import io.portolan.node.proc.ProcFsProcessPort;
import io.portolan.node.proc.ProcessPort;

/** Every piece of I/O the agent does, as ports; tests hand in fakes. */
public record AgentPorts(DockerPort docker, HostPort host, ProcessPort processes, SocketPort sockets,
    ConntrackPort conntrack, KubernetesPart kubernetes) {

  /** Without Kubernetes. */
  public AgentPorts(DockerPort docker, HostPort host, ProcessPort processes, SocketPort sockets,
      ConntrackPort conntrack) {
    this(docker, host, processes, sockets, conntrack, KubernetesPart.DISABLED);
  }

  /** The real adapters, and Kubernetes when {@code portolan.node.kubernetes.enabled} in {@code config}. */
  public static AgentPorts real(AgentSettings settings, com.typesafe.config.Config config) {
    AgentPorts local = real(settings);
    return new AgentPorts(local.docker(), local.host(), local.processes(), local.sockets(), local.conntrack(),
        KubernetesPart.start(config));
  }

  /** The real adapters: the Docker Engine API and /proc below the configured root. */
  public static AgentPorts real(AgentSettings settings) {
    return new AgentPorts(
        DockerHttpPort.create(settings.docker()),
        new ProcHostPort(settings.procRoot()),
        new ProcFsProcessPort(settings.procRoot()),
        new ProcSocketPort(settings.procRoot()),
        new ConntrackReader(settings.procRoot(), settings.conntrack()));
  }
}
