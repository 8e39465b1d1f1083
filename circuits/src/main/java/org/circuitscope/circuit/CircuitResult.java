package org.circuitscope.circuit;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.circuitscope.display.Displayable;
import org.circuitscope.display.Figure;
import org.circuitscope.model.Unit;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A circuit: its units ({@link #nodes()}, depth 0 the unit it explains), its edges with their weights and
 * attributions ({@link #edges()}, {@link #table()}), the pruning check when a data source was given (how much of the
 * unit it explains, {@link #explained()}), and a diagram like the paper's: layers as rows, units as thumbnails,
 * edges coloured by sign (red excitatory, blue inhibitory, grey balanced) and thickened by strength, each edge
 * passing through its weight heatmap.
 */
public final class CircuitResult implements Displayable {
    private final String modelName;
    private final Unit unit;
    private final int depth;
    private final int top;
    private final Circuit.Ranking ranking;
    private final List<CircuitNode> nodes;
    private final List<CircuitEdge> edges;
    private final Map<Unit, BufferedImage> thumbnails;
    private final String thumbnailsDescription;
    private final PruningCheck pruning;
    private final double explainTarget;
    private final List<PruningCheck.Step> growth;
    private final String dataName;
    private final List<String> rows;

    CircuitResult(String modelName, Unit unit, int depth, int top, Circuit.Ranking ranking,
                  List<CircuitNode> nodes, List<CircuitEdge> edges, Map<Unit, BufferedImage> thumbnails,
                  String thumbnailsDescription, PruningCheck pruning, double explainTarget,
                  List<PruningCheck.Step> growth, String dataName, List<String> rows) {
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
        this.explainTarget = explainTarget;
        this.growth = growth;
        this.dataName = dataName;
        this.rows = List.copyOf(rows);
    }

    /** The diagram's rows: the layers holding the circuit's units, the unit's layer first, the earliest last. */
    public List<String> rows() {
        return rows;
    }

    /** The unit the circuit explains: a channel or a dictionary feature. */
    public Unit unit() {
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
    public List<CircuitEdge> inputs(Unit u) {
        return edges.stream().filter(e -> e.to().equals(u)).toList();
    }

    /** What the units' pictures are ("feature visualisation (64 steps)", "none", …). */
    public String thumbnailsDescription() {
        return thumbnailsDescription;
    }

    public BufferedImage thumbnail(Unit u) {
        return thumbnails.get(u);
    }

    /** The pruning check, or null when no data source was given. */
    public PruningCheck pruning() {
        return pruning;
    }

    /** The fraction of the unit the circuit was grown to explain ({@link Circuit#explain}), or 0. */
    public double explainTarget() {
        return explainTarget;
    }

    /** Every circuit size the pruning check measured, in the order tried (one entry unless it was grown). */
    public List<PruningCheck.Step> growth() {
        return growth;
    }

    /** The fraction of the unit's activation above its baseline the circuit explains, or NaN without data. */
    public double explained() {
        return pruning == null ? Double.NaN : pruning.explained();
    }

    /** The data source's name, or null. */
    public String dataName() {
        return dataName;
    }

    /**
     * One row per edge: from, to, weight_norm, sign (+1 excitatory, −1 inhibitory, 0 balanced), attribution (NaN
     * without data), weight_sum, depth, expanded.
     */
    public Table table() {
        StringColumn from = StringColumn.create("from");
        StringColumn to = StringColumn.create("to");
        DoubleColumn norm = DoubleColumn.create("weight_norm");
        IntColumn sign = IntColumn.create("sign");
        DoubleColumn attribution = DoubleColumn.create("attribution");
        DoubleColumn sum = DoubleColumn.create("weight_sum");
        IntColumn depthCol = IntColumn.create("depth");
        BooleanColumn expanded = BooleanColumn.create("expanded");
        Map<Unit, Integer> depthOf = new LinkedHashMap<>();
        nodes.forEach(n -> depthOf.put(n.unit(), n.depth()));
        for (CircuitEdge e : edges) {
            from.append(e.from().toString());
            to.append(e.to().toString());
            norm.append(e.weightNorm());
            sign.append(e.sign().value());
            attribution.append(e.attribution());
            sum.append(e.weightSum());
            depthCol.append(depthOf.getOrDefault(e.to(), 0) + 1);
            expanded.append(e.expanded());
        }
        return Table.create("circuit of " + unit, from, to, norm, sign, attribution, sum, depthCol, expanded);
    }

    String title() {
        return String.format(Locale.ROOT, "Circuit of %s in %s: depth %d, top %d inputs per unit by %s%s", unit,
                modelName, depth, top, ranking.name().toLowerCase(Locale.ROOT), explainTarget > 0
                        ? String.format(Locale.ROOT, " (grown to explain ≥ %.2f)", explainTarget) : "");
    }

    /** What the circuit explains, in one sentence (the diagram's second line). */
    String explainedLine() {
        return pruning == null ? "how much of " + unit + " this circuit explains was not measured (no data source)"
                : String.format(Locale.ROOT, "the circuit explains %.2f of %s's activation above its baseline "
                + "(%d images of %s)", pruning.explained(), unit, pruning.images(), pruning.source());
    }

    /** The diagram, drawn once for PNG and SVG. */
    public Figure figure() {
        return CircuitDiagram.figure(this);
    }

    public String svg() {
        return figure().svg();
    }

    public BufferedImage image() {
        return figure().image();
    }

    @Override
    public Map<String, Object> representations() {
        return figure().representations();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(title()).append("\n").append(nodes.size()).append(" units, ")
                .append(edges.size()).append(" edges; thumbnails: ").append(thumbnailsDescription).append("\n")
                .append(pruning == null ? explainedLine() : pruning.toString());
        if (growth.size() > 1) {
            s.append("\ngrown to explain ≥ ").append(String.format(Locale.ROOT, "%.2f", explainTarget))
                    .append(": ").append(growth.stream().map(PruningCheck.Step::toString)
                            .collect(java.util.stream.Collectors.joining(", ")));
        }
        List<CircuitEdge> first = new ArrayList<>(inputs(unit));
        for (CircuitEdge e : first) {
            s.append("\n  ").append(e);
        }
        return s.toString();
    }
}
