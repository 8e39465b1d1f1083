package org.circuitscope.weights;

import java.util.ArrayList;
import java.util.List;
import org.circuitscope.model.Layer;
import org.circuitscope.model.LayerGraph;
import org.circuitscope.model.ModelException;
import org.circuitscope.model.Unit;
import org.circuitscope.ops.OpSet;

/**
 * Where a unit's weights live: the convolution that produces its channel and the channel's index there. A unit of a
 * ReLU (or other per-channel op) output is traced to the op's input, and a unit of a channel Concat to the input that
 * holds the channel, renumbered by the channels before it: SqueezeNet's {@code fire3/concat:70} is channel 6 of
 * {@code fire3/conv3x3_2} because {@code fire3/conv1x1_2} has 64 channels.
 *
 * @param unit    the unit as asked
 * @param conv    the convolution layer that computes the channel
 * @param channel the channel's index in {@code conv}'s output
 * @param input   the layer the convolution reads (its input units are {@code input:i})
 * @param through the layers passed on the way from the unit's layer down to the convolution
 */
public record ConvChannel(Unit.Channel unit, String conv, int channel, String input, List<String> through) {

    /** Traces {@code unit} to the convolution computing it; fails with a clear message where there is none. */
    public static ConvChannel resolve(LayerGraph graph, Unit.Channel unit) {
        Layer start = graph.get(unit.layer());
        checkChannel(start, unit.channel());
        String layer = start.name();
        int channel = unit.channel();
        List<String> through = new ArrayList<>();
        for (int guard = 0; guard < 256; guard++) {
            Layer l = graph.get(layer);
            if (l.op().equals("Conv")) {
                if (l.inputs().isEmpty()) {
                    throw new ModelException("convolution '" + l.name() + "' reads no activation layer");
                }
                return new ConvChannel(Unit.channel(start.name(), unit.channel()), l.name(), channel,
                        l.inputs().get(0), List.copyOf(through));
            }
            if (OpSet.supports(l.op()) && OpSet.definition(l.op()).channelwise() && l.inputs().size() == 1
                    && l.channels() == graph.get(l.inputs().get(0)).channels()) {
                through.add(l.name());
                layer = l.inputs().get(0);
                continue;
            }
            if (l.op().equals("Concat") && channelAxis(l)) {
                int offset = 0;
                String found = null;
                for (String in : l.inputs()) {
                    int c = (int) graph.get(in).channels();
                    if (channel < offset + c) {
                        found = in;
                        break;
                    }
                    offset += c;
                }
                if (found == null) {
                    break;
                }
                through.add(l.name());
                layer = found;
                channel -= offset;
                continue;
            }
            throw new ModelException("unit " + unit + " has no convolution kernels of its own: its channel comes "
                    + "from layer '" + l.name() + "' (" + l.op() + ")"
                    + (through.isEmpty() ? "" : " (traced through " + String.join(", ", through) + ")")
                    + ", which is not a convolution. Ask for expanded weights from an earlier layer instead "
                    + "(%weights " + unit + " --from " + (l.inputs().isEmpty() ? "<layer>" : l.inputs().get(0))
                    + ")");
        }
        throw new ModelException("could not trace unit " + unit + " to a convolution");
    }

    static boolean channelAxis(Layer l) {
        long axis = l.attribute("axis", new long[] {1})[0];
        return axis == 1 || axis == -3 && l.shape().length == 4;
    }

    static void checkChannel(Layer layer, int channel) {
        if (channel >= layer.channels()) {
            throw new ModelException("layer '" + layer.name() + "' has " + layer.channels() + " channels (0.."
                    + (layer.channels() - 1) + "); there is no channel " + channel);
        }
    }
}
