package org.circuitscope.circuit;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.circuitscope.display.Displayable;
import org.circuitscope.model.Unit;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A circuit: its units ({@link #nodes()}, depth 0 the unit it explains), its edges with their weights and
 * attributions ({@link #edges()}, {@link #table()}), the pruning check when a data source was given, and a diagram
 * like the paper's: layers as rows, units as thumbnails, edges coloured by sign (red excitatory, blue inhibitory) and
 * thickened by strength, each edge's weight heatmap shown on hover in SVG and beside the edges into the unit.
 */
public final class CircuitResult implements Displayable {
    private final String modelName;
    private final Unit.Channel unit;
    private final int depth;
    private final int top;
    private final Circuit.Ranking ranking;
    private final List<CircuitNode> nodes;
    private final List<CircuitEdge> edges;
    private final Map<Unit, BufferedImage> thumbnails;
    private final String thumbnailsDescription;
    private final PruningCheck pruning;
    private final String dataName;
    private final List<String> rows;

    CircuitResult(String modelName, Unit.Channel unit, int depth, int top, Circuit.Ranking ranking,
                  List<CircuitNode> nodes, List<CircuitEdge> edges, Map<Unit, BufferedImage> thumbnails,
                  String thumbnailsDescription, PruningCheck pruning, String dataName, List<String> rows) {
        this.modelName = modelName;
        this.unit = unit;
        this.depth = depth;
        this.top = top;
        this.ranking = ranking;
        this.nodes = nodes;
        this.edges = edges;
        this.thumbnails = thumbnails;
        this.thumbnailsDescription = thumbnailsDescription;
        this.pruning = pruning;
        this.dataName = dataName;
        this.rows = List.copyOf(rows);
    }

    /** The diagram's rows: the layers holding the circuit's units, the unit's layer first, the earliest last. */
    public List<String> rows() {
        return rows;
    }

    public Unit.Channel unit() {
        return unit;
    }

    public int depth() {
        return depth;
    }

    public int top() {
        return top;
    }

    public Circuit.Ranking ranking() {
        return ranking;
    }

    public List<CircuitNode> nodes() {
        return nodes;
    }

    public List<CircuitEdge> edges() {
        return edges;
    }

    /** The edges into {@code u}. */
    public List<CircuitEdge> inputs(Unit.Channel u) {
        return edges.stream().filter(e -> e.to().equals(u)).toList();
    }

    public BufferedImage thumbnail(Unit u) {
        return thumbnails.get(u);
    }

    /** The pruning check, or null when no data source was given. */
    public PruningCheck pruning() {
        return pruning;
    }

    /** The data source's name, or null. */
    public String dataName() {
        return dataName;
    }

    /** One row per edge: from, to, weight_norm, sign (+1/−1), attribution (NaN without data), weight_sum, depth. */
    public Table table() {
        StringColumn from = StringColumn.create("from");
        StringColumn to = StringColumn.create("to");
        DoubleColumn norm = DoubleColumn.create("weight_norm");
        IntColumn sign = IntColumn.create("sign");
        DoubleColumn attribution = DoubleColumn.create("attribution");
        DoubleColumn sum = DoubleColumn.create("weight_sum");
        IntColumn depthCol = IntColumn.create("depth");
        BooleanColumn expanded = BooleanColumn.create("expanded");
        Map<Unit.Channel, Integer> depthOf = new LinkedHashMap<>();
        nodes.forEach(n -> depthOf.put(n.unit(), n.depth()));
        for (CircuitEdge e : edges) {
            from.append(e.from().toString());
            to.append(e.to().toString());
            norm.append(e.weightNorm());
            sign.append(e.sign());
            attribution.append(e.attribution());
            sum.append(e.weightSum());
            depthCol.append(depthOf.getOrDefault(e.to(), 0) + 1);
            expanded.append(e.expanded());
        }
        return Table.create("circuit of " + unit, from, to, norm, sign, attribution, sum, depthCol, expanded);
    }

    String title() {
        return String.format(Locale.ROOT, "Circuit of %s in %s: depth %d, top %d inputs per unit by %s", unit,
                modelName, depth, top, ranking.name().toLowerCase(Locale.ROOT));
    }

    String pruningLine() {
        return pruning == null ? "pruning check: not run (no data source)"
                : String.format(Locale.ROOT, "pruning check: the circuit keeps %.2f of the unit's activation "
                + "(%d images of %s)", pruning.kept(), pruning.images(), pruning.source());
    }

    public String svg() {
        return CircuitDiagram.svg(this);
    }

    public BufferedImage image() {
        return CircuitDiagram.png(this);
    }

    @Override
    public Map<String, Object> representations() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text/plain", toString());
        m.put("image/svg+xml", svg());
        m.put("image/png", image());
        return m;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(title()).append("\n").append(nodes.size()).append(" units, ")
                .append(edges.size()).append(" edges; thumbnails: ").append(thumbnailsDescription).append("\n")
                .append(pruning == null ? pruningLine() : pruning.toString());
        List<CircuitEdge> first = new ArrayList<>(inputs(unit));
        for (CircuitEdge e : first) {
            s.append("\n  ").append(e);
        }
        return s.toString();
    }
}
