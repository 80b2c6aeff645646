package io.portolan.gateway.topology;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.portolan.cluster.view.ViewEdge;
import io.portolan.cluster.view.ViewNode;
import java.io.IOException;
import java.util.List;
import org.agrona.collections.Object2IntHashMap;
import org.apache.pekko.util.ByteStringBuilder;

/**
 * The edges of a whole list of nodes (a view answer, a stream's snapshot) in JSON: each edge as the
 * positions of its two ends in the answer's {@code nodes} array, {@code [source, target]}, or
 * {@code [source, target, connections]} when there is more than one connection. Node ids are long
 * ({@code container:} and 64 hex digits): as {@code {"id":"a->b","source":"a","target":"b",...}} the
 * edges were two thirds of the containers view at the benchmark's shape (348 bytes per edge, see
 * loadgen/BENCHMARK.md, "answer size"); as positions they are ~12. Deltas, which do not carry every
 * node, name the ends by id ({@link ViewEdge}'s JSON). An edge whose end is not among the nodes is
 * left out (views never make one; a filter keeps only edges between kept nodes).
 */
@JsonSerialize(using = EdgePositions.Writer.class)
final class EdgePositions {

  /** source, target, connections of each edge, one after the other. */
  private final int[] flat;
  private final int count;

  private EdgePositions(int[] flat, int count) {
    this.flat = flat;
    this.count = count;
  }

  static final EdgePositions NONE = new EdgePositions(new int[0], 0);

  /** The edges as positions in {@code nodes}. */
  static EdgePositions of(List<ViewNode> nodes, List<ViewEdge> edges) {
    if (edges.isEmpty()) {
      return NONE;
    }
    // Node id → position without boxing (Agrona, already on the class path with Pekko's remoting). A
    // binary search over the sorted ids compared ~18 leading characters per step: 21 ms for the
    // 30,000 edges of the containers view at 1,000 hosts, against ~2 ms by hash.
    Object2IntHashMap<String> lookup = new Object2IntHashMap<>(Math.max(8, nodes.size() * 2), 0.65f, -1);
    for (int i = 0; i < nodes.size(); i++) {
      lookup.putIfAbsent(nodes.get(i).id(), i); // the first of equal ids wins, as in the list
    }
    int[] flat = new int[edges.size() * 3];
    int n = 0;
    for (ViewEdge e : edges) {
      int s = lookup.getValue(e.source());
      int t = s < 0 ? -1 : lookup.getValue(e.target());
      if (t < 0) {
        continue;
      }
      flat[n * 3] = s;
      flat[n * 3 + 1] = t;
      flat[n * 3 + 2] = e.connections();
      n++;
    }
    return new EdgePositions(flat, n);
  }

  int size() {
    return count;
  }

  /** The JSON of the edges, without the enclosing brackets: {@code [0,1],[1,0,3]}. */
  void writeTo(ByteStringBuilder out) {
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        out.putByte((byte) ',');
      }
      out.putByte((byte) '[');
      putInt(out, flat[i * 3]);
      out.putByte((byte) ',');
      putInt(out, flat[i * 3 + 1]);
      if (flat[i * 3 + 2] != 1) {
        out.putByte((byte) ',');
        putInt(out, flat[i * 3 + 2]);
      }
      out.putByte((byte) ']');
    }
  }

  private static void putInt(ByteStringBuilder out, int v) {
    String s = Integer.toString(v);
    for (int k = 0; k < s.length(); k++) {
      out.putByte((byte) s.charAt(k));
    }
  }

  static final class Writer extends StdSerializer<EdgePositions> {
    public Writer() {
      super(EdgePositions.class);
    }

    @Override
    public void serialize(EdgePositions value, JsonGenerator gen, SerializerProvider provider) throws IOException {
      gen.writeStartArray();
      for (int i = 0; i < value.count; i++) {
        gen.writeStartArray();
        gen.writeNumber(value.flat[i * 3]);
        gen.writeNumber(value.flat[i * 3 + 1]);
        if (value.flat[i * 3 + 2] != 1) {
          gen.writeNumber(value.flat[i * 3 + 2]);
        }
        gen.writeEndArray();
      }
      gen.writeEndArray();
    }
  }
}
