package io.portolan.node.report;

import io.portolan.protocol.AgentMessage;
import io.portolan.protocol.Entry;
import io.portolan.protocol.MetricSample;
import io.portolan.protocol.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cuts a report into frames of at most {@code maxEntries} entries and {@code maxSamples} samples.
 * Only the first frame of a full report is marked {@code full}; the rest are deltas that add to it,
 * so a receiver never drops keys that simply did not fit in the first frame for more than one
 * frame's time. Entries come sorted host, containers, processes, connections.
 */
public final class ReportFrames {

  private ReportFrames() {}

  public static List<AgentMessage.Report> split(String agentId, String hostId, long firstSeq, boolean full,
      long sentAt, List<Entry> entries, List<MetricSample> samples, int maxEntries, int maxSamples) {
    int entryFrames = (entries.size() + maxEntries - 1) / maxEntries;
    int sampleFrames = (samples.size() + maxSamples - 1) / maxSamples;
    int frames = Math.max(1, Math.max(entryFrames, sampleFrames));
    List<AgentMessage.Report> out = new ArrayList<>(frames);
    for (int i = 0; i < frames; i++) {
      List<Entry> e = slice(entries, i, maxEntries);
      List<MetricSample> s = slice(samples, i, maxSamples);
      out.add(new AgentMessage.Report(Protocol.VERSION, agentId, hostId, firstSeq + i, full && i == 0,
          sentAt, e, s));
    }
    return out;
  }

  private static <T> List<T> slice(List<T> all, int index, int size) {
    int from = Math.min(all.size(), index * size);
    int to = Math.min(all.size(), from + size);
    return List.copyOf(all.subList(from, to));
  }

  /**
   * Encodes the frames; a frame that still exceeds {@code maxBytes} (huge labels or env) is halved
   * until it fits. Frames are numbered from {@code seq}, which is advanced once per frame sent, so the
   * numbers stay contiguous.
   */
  public static List<byte[]> encode(List<AgentMessage.Report> reports, int maxBytes, AtomicLong seq) {
    List<byte[]> out = new ArrayList<>();
    for (AgentMessage.Report r : reports) {
      encodeInto(r, maxBytes, seq, out);
    }
    return out;
  }

  private static void encodeInto(AgentMessage.Report r, int maxBytes, AtomicLong seq, List<byte[]> out) {
    AgentMessage.Report numbered = new AgentMessage.Report(r.protocolVersion(), r.agentId(), r.hostId(),
        seq.get(), r.full(), r.sentAt(), r.entries(), r.samples());
    byte[] bytes = Protocol.encode(numbered);
    int n = r.entries().size() + r.samples().size();
    if (bytes.length <= maxBytes || n <= 1) {
      seq.incrementAndGet();
      out.add(bytes); // a single entry above the limit is sent anyway: the cluster says why it refuses it
      return;
    }
    int he = r.entries().size() / 2;
    int hs = r.samples().size() / 2;
    encodeInto(new AgentMessage.Report(r.protocolVersion(), r.agentId(), r.hostId(), 0, r.full(), r.sentAt(),
        r.entries().subList(0, he), r.samples().subList(0, hs)), maxBytes, seq, out);
    encodeInto(new AgentMessage.Report(r.protocolVersion(), r.agentId(), r.hostId(), 0, false, r.sentAt(),
        r.entries().subList(he, r.entries().size()), r.samples().subList(hs, r.samples().size())),
        maxBytes, seq, out);
  }
}
