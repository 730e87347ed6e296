#!/usr/bin/env python3
"""torchvision peer of AugmentOpBenchmark / AugmentPolicyBenchmark (selftrain-augment).

Measures images/second of torchvision's equivalents on uint8 RGB tensors at 224x224 and 640x640, composed
the way Augment-S1..S4 are composed in io.selftrain.augment (Zoph et al. 2020):

  flip     RandomHorizontalFlip
  jitter   ScaleJitter(target, (0.8, 1.2)) + RandomCrop(target, pad_if_needed, fill=128)
  S1       flip + jitter (0.8, 1.2) + crop
  S2       AutoAugment(IMAGENET) + S1
  S3       AutoAugment(IMAGENET) + flip + jitter (0.5, 2.0) + crop
  S4       RandAugment(num_ops=2, magnitude=10 of 11 bins, i.e. TF's M=10 of 10) + flip + jitter (0.5, 2.0) + crop

torchvision's AutoAugment/RandAugment reject bounding boxes, so the peer runs on images only; the Java side
is measured both with and without boxes. If --jmh points at a JMH JSON result (-rf json) of
AugmentPolicyBenchmark, the script prints Java/torchvision ratios per policy and size.

With OpenCV installed (opencv-python-headless), the script also times OpenCV's kernels for the two
resampling ops the policies are made of, single-threaded, as the floor a hand-written kernel approaches:
  cv-jitter   flip + cv2.resize(INTER_LINEAR) to round(r * size), r ~ U(0.8, 1.2), + crop / pad to size
  cv-rotate   cv2.warpAffine(INTER_NEAREST, fill 128), a 30-degree rotation (AutoAugment's Rotate)

Run on an idle machine, in the same session as the JMH run (benchmarks/augment_vs_peers.sh does both):
  python3 benchmarks/torchvision_peer.py --threads 1 --jmh benchmarks/results/policies-1t.json
"""

import argparse
import json
import os
import random
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_imports import import_torchvision  # noqa: E402 (beside this script)

torchvision = import_torchvision()

try:  # torchvision >= 0.15
    from torchvision.transforms import v2
    HAVE_V2 = True
except ImportError:  # Debian bookworm ships torchvision 0.14: the v1 transforms, plus a ScaleJitter below
    import torchvision.transforms as v2
    HAVE_V2 = False
import torchvision.transforms.functional as F


class ScaleJitterV1:
    """v2.ScaleJitter for torchvision < 0.15: resize so the image fits round(r * target), r ~ U(lo, hi)."""

    def __init__(self, size, lo, hi):
        self.size, self.lo, self.hi = size, lo, hi

    def __call__(self, image):
        r = self.lo + (self.hi - self.lo) * torch.rand(1).item()
        h, w = image.shape[-2:]
        scale = min(round(r * self.size) / h, round(r * self.size) / w)
        return F.resize(image, [max(1, round(h * scale)), max(1, round(w * scale))], antialias=False)


def policies(size):
    def jitter(lo, hi):
        scale = (v2.ScaleJitter((size, size), scale_range=(lo, hi), antialias=False) if HAVE_V2
                 else ScaleJitterV1(size, lo, hi))
        return [scale, v2.RandomCrop((size, size), pad_if_needed=True, fill=128)]

    flip = v2.RandomHorizontalFlip(0.5)
    auto = v2.AutoAugment(v2.AutoAugmentPolicy.IMAGENET, fill=128)
    rand = v2.RandAugment(num_ops=2, magnitude=10, num_magnitude_bins=11, fill=128)
    return {
        "flip": v2.Compose([flip]),
        "jitter": v2.Compose(jitter(0.8, 1.2)),
        "AutoAugment": v2.Compose([auto]),
        "RandAugment": v2.Compose([rand]),
        "S1": v2.Compose([flip] + jitter(0.8, 1.2)),
        "S2": v2.Compose([auto, flip] + jitter(0.8, 1.2)),
        "S3": v2.Compose([auto, flip] + jitter(0.5, 2.0)),
        "S4": v2.Compose([rand, flip] + jitter(0.5, 2.0)),
    }


def images_per_second(transform, image, seconds):
    for _ in range(5):
        transform(image)
    count = 0
    start = time.perf_counter()
    while True:
        transform(image)
        count += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return count / elapsed


def jmh_scores(path):
    """{(policy, size, task): images/s} from AugmentPolicyBenchmark JSON."""
    with open(path) as f:
        runs = json.load(f)
    scores = {}
    for run in runs:
        if not run["benchmark"].endswith("AugmentPolicyBenchmark.augment"):
            continue
        p = run["params"]
        scores[(p["policy"], int(p["size"]), p.get("task"))] = run["primaryMetric"]["score"]
    return scores


def opencv_cases(size):
    """OpenCV's single-threaded kernels for the resampling ops, or {} without OpenCV."""
    try:
        import cv2
        import numpy as np
    except ImportError:
        return {}
    cv2.setNumThreads(1)
    rng = random.Random(0)

    def jitter(image):
        if rng.random() < 0.5:
            image = cv2.flip(image, 1)
        scaled = max(1, round(rng.uniform(0.8, 1.2) * size))
        image = cv2.resize(image, (scaled, scaled), interpolation=cv2.INTER_LINEAR)
        y = rng.randint(0, max(0, scaled - size))
        x = rng.randint(0, max(0, scaled - size))
        image = image[y:y + size, x:x + size]
        if image.shape[0] < size or image.shape[1] < size:
            image = cv2.copyMakeBorder(image, 0, size - image.shape[0], 0, size - image.shape[1],
                                       cv2.BORDER_CONSTANT, value=(128, 128, 128))
        return image

    rotation = cv2.getRotationMatrix2D((size / 2, size / 2), 30, 1.0)

    def rotate(image):
        return cv2.warpAffine(image, rotation, (size, size), flags=cv2.INTER_NEAREST,
                              borderMode=cv2.BORDER_CONSTANT, borderValue=(128, 128, 128))

    image = np.random.default_rng(0).integers(0, 256, (size, size, 3), dtype=np.uint8)
    return {"cv-jitter": (jitter, image), "cv-rotate": (rotate, image)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads")
    parser.add_argument("--seconds", type=float, default=5.0, help="measurement time per case")
    parser.add_argument("--sizes", type=int, nargs="+", default=[224, 640])
    parser.add_argument("--jmh", help="JMH JSON of AugmentPolicyBenchmark for ratios (selftrain / peer)")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    java = jmh_scores(args.jmh) if args.jmh else {}
    print(f"torch {torch.__version__}, torchvision {torchvision.__version__}"
          f" ({'v2' if HAVE_V2 else 'v1'} transforms), threads={args.threads}")
    print(f"{'case':<12} {'size':>5} {'peer img/s':>11} {'selftrain':>10} {'ratio':>6}"
          f" {'+boxes':>10} {'ratio':>6}")
    for size in args.sizes:
        image = torch.randint(0, 256, (3, size, size), dtype=torch.uint8)
        cases = {name: (t, image) for name, t in policies(size).items()}
        cases.update(opencv_cases(size))
        for name, (transform, data) in cases.items():
            peer = images_per_second(transform, data, args.seconds)
            row = f"{name:<12} {size:>5} {peer:11.1f}"
            for task in ("classification", "detection"):
                js = java.get((name, size, task))
                row += f" {js:10.1f} {js / peer:6.2f}" if js else f" {'-':>10} {'-':>6}"
            print(row)


if __name__ == "__main__":
    main()
