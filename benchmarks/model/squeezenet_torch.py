"""PyTorch reference for ModelBenchmark: builds SqueezeNet from the same ONNX file (weights read with the onnx
package) as plain torch operations, and times forward and forward+backward at 224x224 on request."""
import sys
import time

import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper


def attr(node, name, default):
    for a in node.attribute:
        if a.name == name:
            return list(a.ints) if a.ints else (a.i if a.type == onnx.AttributeProto.INT else a.f)
    return default


class OnnxAsTorch:
    """Runs the ONNX graph's nodes (the ops SqueezeNet uses) with torch functions."""

    def __init__(self, path):
        model = onnx.load(path)
        self.graph = model.graph
        self.weights = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()) for t in self.graph.initializer}
        self.input = [i.name for i in self.graph.input if i.name not in self.weights][0]
        self.mean = torch.tensor([104.0, 117.0, 123.0]).reshape(1, 3, 1, 1)

    def __call__(self, rgb01, output):
        x = (rgb01 * 255.0).flip(1) - self.mean
        env = {self.input: x}
        env.update(self.weights)
        for node in self.graph.node:
            ins = [env[i] for i in node.input if i]
            op = node.op_type
            if op == "Conv":
                pads = attr(node, "pads", [0, 0, 0, 0])
                y = F.conv2d(ins[0], ins[1], ins[2] if len(ins) > 2 else None, stride=attr(node, "strides", [1, 1]),
                             padding=(pads[0], pads[1]), groups=attr(node, "group", 1))
            elif op == "Relu":
                y = F.relu(ins[0])
            elif op == "MaxPool":
                pads = attr(node, "pads", [0, 0, 0, 0])
                y = F.max_pool2d(ins[0], attr(node, "kernel_shape", None), attr(node, "strides", [1, 1]),
                                 (pads[0], pads[1]), ceil_mode=bool(attr(node, "ceil_mode", 0)))
            elif op == "Concat":
                y = torch.cat(ins, dim=attr(node, "axis", 1))
            elif op == "GlobalAveragePool":
                y = ins[0].mean(dim=(2, 3), keepdim=True)
            elif op == "AveragePool":
                y = F.avg_pool2d(ins[0], attr(node, "kernel_shape", None), attr(node, "strides", [1, 1]))
            elif op in ("Dropout", "Identity"):
                y = ins[0]
            elif op == "Flatten":
                y = torch.flatten(ins[0], 1)
            elif op == "Reshape":
                y = ins[0].reshape([int(v) for v in ins[1]])
            elif op == "Softmax":
                y = F.softmax(ins[0], dim=attr(node, "axis", -1))
            else:
                raise SystemExit("reference does not know op " + op)
            env[node.output[0]] = y
            if node.output[0] == output:
                return y
        return env[output]


def main():
    """Answers one request per line, "forward 16" or "forward+backward 1": runs that case once and prints its time
    in milliseconds, so the harness can alternate between the two implementations call by call."""
    path = sys.argv[1]
    torch.set_num_threads(torch.get_num_threads() if torch.get_num_threads() > 1 else 2)
    print("torch", torch.__version__, "threads", torch.get_num_threads())
    net = OnnxAsTorch(path)
    output = "logits"

    def forward(batch):
        with torch.no_grad():
            net(torch.rand(batch, 3, 224, 224), output).sum().item()

    def forward_backward(batch):
        x = torch.rand(batch, 3, 224, 224, requires_grad=True)
        net(x, output).sum().backward()
        x.grad.sum().item()

    cases = {"forward": forward, "forward+backward": forward_backward}
    print("ready", flush=True)
    for line in sys.stdin:
        case, batch = line.split()
        start = time.perf_counter()
        cases[case](int(batch))
        print("%.3f" % ((time.perf_counter() - start) * 1000), flush=True)


if __name__ == "__main__":
    main()
