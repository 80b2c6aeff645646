package io.portolan.node.bench;

import io.portolan.node.connections.ConnectionScan;
import io.portolan.node.connections.ConntrackReader;
import io.portolan.node.connections.ProcSocketPort;
import io.portolan.node.docker.DockerHttpPort;
import io.portolan.node.docker.DockerSettings;
import io.portolan.node.host.ProcHostPort;
import io.portolan.node.proc.ProcFsProcessPort;
import io.portolan.node.proc.ProcessScan;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** CPU time (user + system, this thread) of one pass of each collector's I/O, on this host as it is. */
public final class ScanCost {

  public static void main(String[] args) throws Exception {
    Path proc = Path.of("/proc");
    var processes = new ProcFsProcessPort(proc);
    var sockets = new ProcSocketPort(proc);
    var conntrack = new ConntrackReader(proc, "auto");
    var host = new ProcHostPort(proc);
    var docker = DockerHttpPort.create(DockerSettings.fromConfig(com.typesafe.config.ConfigFactory.load()));
    ProcessScan.Result r = ProcessScan.scan(processes, "h", Map.of(), System.currentTimeMillis());
    var known = r.known();
    System.out.println("processes: " + r.entries().size());
    ConnectionScan.Result cs = ConnectionScan.scan(sockets, "h", Map.of(), 1);
    var cache = cs.containerCache();
    List<String> ids = docker.containerIds();
    for (int round = 0; round < 3; round++) {
      var k = known;
      measure("process scan (known pids)", 20, () -> ProcessScan.scan(processes, "h", k, System.currentTimeMillis()));
      measure("process scan (cold)", 3, () -> ProcessScan.scan(processes, "h", Map.of(), System.currentTimeMillis()));
      var c = cache;
      measure("connection scan (ns, fds, sockets)", 10, () -> ConnectionScan.scan(sockets, "h", c, 1));
      measure("conntrack read", 10, () -> {
        try {
          return conntrack.flows();
        } catch (Exception e) {
          return null;
        }
      });
      measure("host counters", 20, host::counters);
      measure("host facts", 5, host::facts);
      measure("docker stats x" + ids.size(), 5, () -> {
        ids.forEach(docker::stats);
        return null;
      });
      measure("docker list+inspect", 3, () -> {
        docker.containerIds().forEach(docker::inspect);
        return null;
      });
    }
    docker.close();
  }

  static void measure(String what, int n, Supplier<?> work) {
    var bean = ManagementFactory.getThreadMXBean();
    long cpu0 = bean.getCurrentThreadCpuTime();
    long user0 = bean.getCurrentThreadUserTime();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      work.get();
    }
    long cpu = bean.getCurrentThreadCpuTime() - cpu0;
    long user = bean.getCurrentThreadUserTime() - user0;
    System.out.printf("%-40s %7.2f ms cpu (%5.2f user, %5.2f sys), %7.2f ms wall per pass%n", what,
        cpu / 1e6 / n, user / 1e6 / n, (cpu - user) / 1e6 / n, (System.nanoTime() - t0) / 1e6 / n);
  }
}
