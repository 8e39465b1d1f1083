package org.circuitscope.circuit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.circuitscope.activations.Html;
import org.circuitscope.activations.Stats;
import org.circuitscope.display.Displayable;
import org.circuitscope.model.Unit;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Per-channel attribution of a unit to an earlier layer (see {@link Attribution}), averaged over {@link #images()}
 * images; {@link #unitMean()} is the unit's own mean on them.
 */
public record AttributionResult(String model, Unit unit, String from, double[] perChannel, double unitMean,
                                int images, String data, boolean partial) implements Displayable {

    public double of(int channel) {
        return perChannel[channel];
    }

    /** Channels from most positive to most negative attribution. */
    public List<Integer> ranked() {
        return Stats.descending(perChannel);
    }

    /** The channel's place among the most positive (1 = strongest excitatory input). */
    public int rank(int channel) {
        return ranked().indexOf(channel) + 1;
    }

    /** The {@code k} most positive channels. */
    public List<Integer> topPositive(int k) {
        return ranked().subList(0, Math.min(k, perChannel.length)).stream().filter(c -> perChannel[c] > 0).toList();
    }

    /** The {@code k} most negative channels, most negative first. */
    public List<Integer> topNegative(int k) {
        List<Integer> r = new ArrayList<>(ranked());
        java.util.Collections.reverse(r);
        return r.subList(0, Math.min(k, perChannel.length)).stream().filter(c -> perChannel[c] < 0).toList();
    }

    /** One row per channel, most positive first: rank, unit, channel, attribution. */
    public Table table() {
        List<Integer> order = ranked();
        IntColumn rank = IntColumn.create("rank");
        StringColumn name = StringColumn.create("unit");
        IntColumn channel = IntColumn.create("channel");
        DoubleColumn value = DoubleColumn.create("attribution");
        for (int i = 0; i < order.size(); i++) {
            int c = order.get(i);
            rank.append(i + 1);
            name.append(from + ":" + c);
            channel.append(c);
            value.append(perChannel[c]);
        }
        return Table.create("attribution of " + unit + " to " + from, rank, name, channel, value);
    }

    @Override
    public Map<String, Object> representations() {
        return Html.summaryOverTable(toString(), table(), 12, false);
    }

    @Override
    public String toString() {
        List<Integer> pos = topPositive(3);
        List<Integer> neg = topNegative(3);
        return String.format("attribution of %s to %s on %d images of %s%s (unit mean %.3g): strongest positive %s,"
                        + " strongest negative %s", unit, from, images, data, partial ? " (interrupted)" : "",
                unitMean, pos.stream().map(c -> from + ":" + c).toList(),
                neg.stream().map(c -> from + ":" + c).toList());
    }
}
