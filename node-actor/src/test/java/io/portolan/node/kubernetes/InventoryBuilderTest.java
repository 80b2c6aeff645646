package io.portolan.node.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.portolan.protocol.Keys;
import io.portolan.protocol.Payload;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The mapping as a pure function of objects (no API server). */
class InventoryBuilderTest {

  static final String C = "c1";
  final InventoryBuilder builder = new InventoryBuilder(C, 3);

  static InventoryBuilder.Objects objects(java.util.function.Consumer<Lists> fill) {
    Lists l = new Lists();
    fill.accept(l);
    return new InventoryBuilder.Objects(List.of(), List.of(), l.pods, l.services, l.slices, List.of(), List.of(),
        List.of(), l.daemonSets, l.jobs, l.cronJobs, l.events);
  }

  static final class Lists {
    List<io.fabric8.kubernetes.api.model.Pod> pods = new java.util.ArrayList<>();
    List<io.fabric8.kubernetes.api.model.Service> services = new java.util.ArrayList<>();
    List<io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice> slices = new java.util.ArrayList<>();
    List<io.fabric8.kubernetes.api.model.apps.DaemonSet> daemonSets = new java.util.ArrayList<>();
    List<io.fabric8.kubernetes.api.model.batch.v1.Job> jobs = new java.util.ArrayList<>();
    List<io.fabric8.kubernetes.api.model.batch.v1.CronJob> cronJobs = new java.util.ArrayList<>();
    List<io.fabric8.kubernetes.api.model.Event> events = new java.util.ArrayList<>();
  }

  @Test
  void aSelectorlessServiceGetsItsPodsFromEndpointSlices() {
    Map<String, Payload> e = builder.build(objects(l -> {
      l.pods.add(KubeFixtures.pod("ns", "ext-1", "ext", null, "node-a", "aa", 0));
      l.services.add(new ServiceBuilder().withNewMetadata().withNamespace("ns").withName("ext").endMetadata()
          .withNewSpec().withType("ClusterIP").endSpec().build());
      l.slices.add(new EndpointSliceBuilder().withNewMetadata().withNamespace("ns").withName("ext-abc")
          .addToLabels(InventoryBuilder.SERVICE_NAME_LABEL, "ext").endMetadata().withAddressType("IPv4")
          .addNewEndpoint().withAddresses("10.1.0.7").withNewConditions().withReady(true).endConditions()
          .withNewTargetRef().withKind("Pod").withName("ext-1").withNamespace("ns").endTargetRef().endEndpoint()
          .addNewEndpoint().withAddresses("10.1.0.8").withNewConditions().withReady(false).endConditions()
          .endEndpoint().build());
    }));
    Payload.Service s = (Payload.Service) e.get(Keys.service(C, "ns", "ext"));
    assertThat(s.podKeys()).containsExactly(Keys.pod(C, "ns", "ext-1"));
    assertThat(s.readyEndpoints()).isEqualTo(1);
  }

  @Test
  void jobsCronJobsAndDaemonSetsReportDesiredAndReady() {
    Map<String, Payload> e = builder.build(objects(l -> {
      l.cronJobs.add(new CronJobBuilder().withNewMetadata().withNamespace("ns").withName("nightly").endMetadata()
          .withNewSpec().withSchedule("0 3 * * *").endSpec()
          .withNewStatus().addNewActive().withName("nightly-1").endActive().endStatus().build());
      l.jobs.add(new JobBuilder().withNewMetadata().withNamespace("ns").withName("nightly-1")
          .withOwnerReferences(KubeFixtures.controller("CronJob", "nightly")).endMetadata()
          .withNewSpec().withParallelism(2).withCompletions(4).endSpec()
          .withNewStatus().withActive(2).withReady(1).withSucceeded(1).endStatus().build());
      l.pods.add(KubeFixtures.pod("ns", "nightly-1-xyz", "nightly", null, "node-a", "bb", 0).edit().editMetadata()
          .withOwnerReferences(KubeFixtures.controller("Job", "nightly-1")).endMetadata().build());
      l.daemonSets.add(new DaemonSetBuilder().withNewMetadata().withNamespace("ns").withName("agent").endMetadata()
          .withNewStatus().withDesiredNumberScheduled(3).withNumberReady(2).withNumberAvailable(2).endStatus().build());
    }));
    Payload.Workload cron = (Payload.Workload) e.get(Keys.workload(C, "ns", "CronJob", "nightly"));
    assertThat(cron.schedule()).isEqualTo("0 3 * * *");
    assertThat(cron.desired()).isEqualTo(1);
    assertThat(cron.ready()).isEqualTo(1);
    Payload.Workload job = (Payload.Workload) e.get(Keys.workload(C, "ns", "Job", "nightly-1"));
    assertThat(List.of(job.desired(), job.ready(), job.available())).containsExactly(2, 1, 1);
    assertThat(job.ownerKeys()).containsExactly(Keys.workload(C, "ns", "CronJob", "nightly"));
    Payload.Pod pod = (Payload.Pod) e.get(Keys.pod(C, "ns", "nightly-1-xyz"));
    assertThat(pod.controllerKey()).isEqualTo(Keys.workload(C, "ns", "CronJob", "nightly"));
    Payload.Workload ds = (Payload.Workload) e.get(Keys.workload(C, "ns", "DaemonSet", "agent"));
    assertThat(List.of(ds.desired(), ds.ready())).containsExactly(3, 2);
  }

  @Test
  void keepsOnlyTheNewestEventsAndLinksThemToTheirObject() {
    Map<String, Payload> e = builder.build(objects(l -> IntStream.range(0, 10).forEach(i -> l.events.add(
        new EventBuilder().withNewMetadata().withNamespace("ns").withName("web.e" + i).endMetadata()
            .withType(i == 9 ? "Warning" : "Normal").withReason("BackOff").withMessage("m" + i).withCount(i + 1)
            .withLastTimestamp("2026-01-01T00:00:0" + i + "Z")
            .withNewInvolvedObject().withKind("Pod").withName("web-1").withNamespace("ns").endInvolvedObject()
            .build()))));
    assertThat(e.keySet()).containsExactlyInAnyOrder(Keys.kubeEvent(C, "ns", "web.e9"),
        Keys.kubeEvent(C, "ns", "web.e8"), Keys.kubeEvent(C, "ns", "web.e7"));
    Payload.KubeEvent newest = (Payload.KubeEvent) e.get(Keys.kubeEvent(C, "ns", "web.e9"));
    assertThat(newest.objectKey()).isEqualTo(Keys.pod(C, "ns", "web-1"));
    assertThat(newest.type()).isEqualTo("Warning");
    assertThat(newest.count()).isEqualTo(10);
  }

  @Test
  void containerIdsLoseTheirRuntimeSchemeAndPendingPodsListTheirSpecContainers() {
    var pending = KubeFixtures.pod("ns", "p", "web", null, null, "x", 0).edit().withNewStatus().withPhase("Pending")
        .endStatus().build();
    Payload.Pod p = (Payload.Pod) builder.build(objects(l -> l.pods.add(pending))).get(Keys.pod(C, "ns", "p"));
    assertThat(p.hostKey()).isEmpty();
    assertThat(p.containers()).singleElement().satisfies(c -> {
      assertThat(c.containerKey()).isEmpty();
      assertThat(c.state()).isEqualTo("waiting");
    });
    var docker = InventoryBuilder.container(new io.fabric8.kubernetes.api.model.ContainerStatusBuilder().withName("a")
        .withContainerID("docker://0123abcd").build(), false);
    assertThat(docker.runtime()).isEqualTo("docker");
    assertThat(docker.containerKey()).isEqualTo(Keys.container("0123abcd"));
  }
}
