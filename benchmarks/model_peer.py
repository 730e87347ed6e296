#!/usr/bin/env python3
"""PyTorch eager peer of ModelBenchmark (benchmarks/src/main/java/.../models/ModelBenchmark.java).

Images/second of the same two models, batch 16 (or --batch), on the same machine, device and thread count:
  cnn28-w48        selftrain's classification student (ConvNets: width 48, hidden 128, dropout 0.3,
                   stochastic depth 0.2, 28x28 grey), written out in torch.nn
  efficientnet-b0  torchvision's efficientnet_b0 (random init, 1000 classes, 224x224), the same B0
                   layout as selftrain's EfficientNet.b0()
  <model>-cl       the same model with its parameters and images in torch.channels_last memory format,
                   as selftrain's channelsLast() configs (ConvNetConfig, EfficientNetConfig)

selftrain's efficientnet-b0-fused (EfficientNetConfig.fusedOps(): swish as silu, the squeeze as one pool)
computes the operations torchvision's model always does; its JMH rows are compared with the peer's
efficientnet-b0 (and -fused-cl with -cl).

  forward     eval mode under torch.no_grad(), as ModelBenchmark.forward (DJL runs inference without
              autograd)
  trainStep   train mode: forward, per-example soft cross-entropy against one-hot targets, mean,
              backward, Adam(lr 1e-3) step, loss read back, as ModelBenchmark.trainStep

With --jmh pointing at ModelBenchmark's or GpuModelStepBenchmark's JSON result (-rf json) the script prints
selftrain / PyTorch for the same model, step and batch.
  OMP_NUM_THREADS=1 python3 benchmarks/model_peer.py --threads 1 --jmh benchmarks/results/models-1t.json

On a GPU (--device cuda) the models, images and targets live on the GPU and every timed step ends with a
value read back to the host (.item()), which waits for the GPU, as the JMH benchmarks' steps do. cuDNN's
autotuner stays off (torch.backends.cudnn.benchmark=False), PyTorch's default and DJL's.
  python3 benchmarks/model_peer.py --device cuda --models efficientnet-b0 --batch 16 256 --jmh gpu-models.json
"""

import argparse
import json
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

BATCH = 16


class DropPath(nn.Module):
    def __init__(self, p):
        super().__init__()
        self.p = p

    def forward(self, x):
        if not self.training or self.p == 0:
            return x
        keep = torch.empty((x.shape[0],) + (1,) * (x.dim() - 1), dtype=x.dtype,
                           device=x.device).bernoulli_(1 - self.p)
        return x * keep / (1 - self.p)


class Cnn28(nn.Module):
    """ConvNets.block: [conv BN ReLU, max pool] x 2 (w, 2w), residual [conv BN ReLU conv BN] with drop
    path, flatten, dropout, linear(hidden) ReLU, dropout, linear(classes)."""

    def __init__(self, width=48, hidden=128, classes=10, dropout=0.3, stochastic_depth=0.2):
        super().__init__()

        def conv_bn(cin, cout):
            return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout)]

        w = width
        self.stem = nn.Sequential(*conv_bn(1, w), nn.ReLU(), nn.MaxPool2d(2),
                                  *conv_bn(w, 2 * w), nn.ReLU(), nn.MaxPool2d(2))
        self.branch = nn.Sequential(*conv_bn(2 * w, 2 * w), nn.ReLU(), *conv_bn(2 * w, 2 * w))
        self.drop_path = DropPath(stochastic_depth)
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(dropout), nn.Linear(2 * w * 7 * 7, hidden),
                                  nn.ReLU(), nn.Dropout(dropout), nn.Linear(hidden, classes))

    def forward(self, x):
        x = self.stem(x)
        x = x + self.drop_path(self.branch(x))
        return self.head(x)


def model(name):
    if name == "cnn28-w48":
        return Cnn28(), (1, 28, 28), 10
    if name == "efficientnet-b0":
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from peer_imports import import_torchvision
        efficientnet_b0 = import_torchvision().models.efficientnet_b0
        return efficientnet_b0(weights=None), (3, 224, 224), 1000
    raise ValueError(f"unknown model: {name}")


def synchronize(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def images_per_second(step, seconds, warmup, batch, device):
    for _ in range(warmup):
        step()
    synchronize(device)
    count = 0
    start = time.perf_counter()
    while True:
        step()
        count += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            synchronize(device)
            return count * batch / (time.perf_counter() - start)


def measure(name, seconds, batch=BATCH, device=torch.device("cpu")):
    torch.manual_seed(0)
    channels_last = name.endswith("-cl")
    net, shape, classes = model(name[:-3] if channels_last else name)
    net = net.to(device)
    images = torch.rand((batch,) + shape, device=device)
    if channels_last:
        net = net.to(memory_format=torch.channels_last)
        images = images.contiguous(memory_format=torch.channels_last)
    targets = F.one_hot(torch.randint(0, classes, (batch,), device=device), classes).float()
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)

    def forward():
        with torch.no_grad():
            return net(images)[0, 0].item()

    def train_step():
        loss = (-(targets * F.log_softmax(net(images), dim=1)).sum(dim=1)).mean()
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        return loss.item()

    net.eval()
    fwd = images_per_second(forward, seconds, 3, batch, device)
    net.train()
    train = images_per_second(train_step, seconds, 3, batch, device)
    return {"forward": fwd, "trainStep": train}


def jmh_scores(path):
    """(step, model, batch) -> images/s of one file's ModelBenchmark (batch 16) and GpuModelStepBenchmark runs."""
    scores = {}
    with open(path) as f:
        runs = json.load(f)
    for r in runs:
        cls, step = r["benchmark"].rsplit(".", 2)[1:]
        if cls in ("ModelBenchmark", "GpuModelStepBenchmark"):
            batch = int(r["params"].get("batch", BATCH))
            scores[(step, r["params"]["model"], batch)] = r["primaryMetric"]["score"]
    return scores


def fused_name(name):
    """selftrain's name of the same model with its fused operations: -fused before any -cl."""
    return name[:-3] + "-fused-cl" if name.endswith("-cl") else name + "-fused"


def jmh_columns(specs):
    """One column per JMH file: LABEL=PATH names the column (runs on two libtorch builds), a bare PATH is
    "selftrain" alone, else the file's name."""
    columns = {}
    for spec in specs:
        label, _, path = spec.rpartition("=")
        if not label:
            label = "selftrain" if len(specs) == 1 else os.path.splitext(os.path.basename(path))[0]
        columns[label] = jmh_scores(path)
    return columns


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads")
    parser.add_argument("--seconds", type=float, default=10.0, help="measurement time per case")
    parser.add_argument("--models", nargs="+",
                        default=["cnn28-w48", "cnn28-w48-cl", "efficientnet-b0", "efficientnet-b0-cl"])
    parser.add_argument("--batch", type=int, nargs="+", default=[BATCH], help="batch sizes")
    parser.add_argument("--device", default="cpu", help="torch device: cpu, cuda, cuda:1, ...")
    parser.add_argument("--jmh", nargs="+", default=[],
                        help="JMH JSON files of ModelBenchmark / GpuModelStepBenchmark for ratios (selftrain / PyTorch); "
                             "several files give one column each; LABEL=PATH names a file's column")
    parser.add_argument("--out", help="also write the rows to this JSON file")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    device = torch.device(args.device)
    columns = jmh_columns(args.jmh)
    where = torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"
    print(f"torch {torch.__version__}, device {args.device} ({where}), threads={args.threads}, batch {args.batch}")
    heads = "".join(f" {name:>16} {'ratio':>6}" for name in columns) or f" {'selftrain':>16} {'ratio':>6}"
    print(f"{'model':<24} {'step':<10} {'batch':>5} {'PyTorch img/s':>14}{heads}")
    rows = []
    for name in args.models:
        for batch in args.batch:
            for step, peer in measure(name, args.seconds, batch, device).items():
                # selftrain's -fused EfficientNet computes the ops PyTorch's model always does (silu, one
                # pool): its rows share the peer's measurement of the same model.
                for selftrain_name in (name, fused_name(name)):
                    if selftrain_name != name and not any((step, selftrain_name, batch) in java
                                                          for java in columns.values()):
                        continue
                    tail = ""
                    for column, java in (columns or {"selftrain": {}}).items():
                        js = java.get((step, selftrain_name, batch))
                        tail += f" {js:16.2f} {js / peer:6.2f}" if js else f" {'-':>16} {'-':>6}"
                        rows.append({"model": selftrain_name, "step": step, "batch": batch,
                                     "device": args.device, "torch": torch.__version__, "pytorch": peer,
                                     "run": column, "selftrain": js, "ratio": js / peer if js else None})
                    print(f"{selftrain_name:<24} {step:<10} {batch:>5} {peer:14.2f}{tail}", flush=True)
            if device.type == "cuda":
                torch.cuda.empty_cache()
    if args.out:
        with open(args.out, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
