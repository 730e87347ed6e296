"""Writes the COCO box-AP fixtures and their pycocotools results (the oracle of CocoEvaluatorTest).

For every case this folder holds <case>.gt.json (a COCO detection file) and <case>.dt.json (detections in
the COCO results format), and golden.json maps each case to the 12 numbers of COCOeval.stats for
iouType='bbox' with default Params (evaluate(); accumulate(); summarize()).

The tiny_* cases are written by hand and only read here; all others are generated from fixed seeds, so
running the script again rewrites the same files.

How to run (pycocotools is only needed here, never by the Maven build):

    python3 -m venv /tmp/venv-eval
    /tmp/venv-eval/bin/pip install pycocotools numpy
    cd selftrain-core/src/test/resources/coco-eval
    /tmp/venv-eval/bin/python make_golden.py

Generated with pycocotools 2.0.11 and numpy 2.4.6 (recorded in golden.json).

pycocotools reads gt "area" and "iscrowd" without defaults; CocoGroundTruth defaults them to w*h and 0.
Before handing a ground truth to pycocotools this script fills in those two defaults, so the oracle sees
what the Java loader sees. COCO.loadRes rejects an empty result list, so the empty-detection case builds its
result object directly.
"""

import contextlib
import copy
import importlib.metadata
import io
import json
import os
import random

import numpy as np
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

HERE = os.path.dirname(os.path.abspath(__file__))
STAT_NAMES = ["ap", "ap50", "ap75", "apSmall", "apMedium", "apLarge",
              "ar1", "ar10", "ar100", "arSmall", "arMedium", "arLarge"]


# ---------------------------------------------------------------------------------------------------------
# Generated cases

def box_of_size(rng, kind, width, height):
    """An [x, y, w, h] box whose w*h falls in COCO's small, medium or large range (two decimals)."""
    side = {"small": (4.0, 31.0), "medium": (33.0, 95.0), "large": (97.0, 300.0)}[kind]
    w = round(rng.uniform(*side), 2)
    h = round(rng.uniform(*side), 2)
    x = round(rng.uniform(0, width - w), 2)
    y = round(rng.uniform(0, height - h), 2)
    return [x, y, w, h]


def jitter(rng, bbox, amount):
    x, y, w, h = bbox
    dx, dy = rng.uniform(-amount, amount) * w, rng.uniform(-amount, amount) * h
    sw, sh = 1 + rng.uniform(-amount, amount), 1 + rng.uniform(-amount, amount)
    return [round(x + dx, 2), round(y + dy, 2), round(w * sw, 2), round(h * sh, 2)]


def score(rng, coarse):
    """A score; coarse scores come from 20 values, so many detections tie."""
    return round(rng.randint(1, 19) * 0.05, 2) if coarse else round(rng.random(), 6)


def random_case(seed, num_images, categories, empty_category, stray_category, max_per_category,
                crowd_rate, coarse_scores):
    """A ground truth with crowd regions, images without objects, objects of all sizes, and detections that
    are jittered copies, duplicates and false positives (some images get none)."""
    rng = random.Random(seed)
    width, height = 640, 480
    image_ids = rng.sample(range(1, 100000), num_images)
    images = [{"id": i, "file_name": "%012d.png" % i, "width": width, "height": height} for i in image_ids]
    no_gt = set(image_ids[: max(1, num_images // 8)])
    no_dt = set(image_ids[max(1, num_images // 8): max(2, num_images // 4)])
    annotations, detections = [], []
    next_id = 1
    for image_id in image_ids:
        for category in categories:
            if image_id in no_gt or category == empty_category:
                count = 0
            else:
                count = rng.randint(0, max_per_category)
            for _ in range(count):
                kind = rng.choice(["small", "small", "medium", "large"])
                bbox = box_of_size(rng, kind, width, height)
                crowd = rng.random() < crowd_rate
                if crowd:
                    bbox = box_of_size(rng, "large", width, height)
                ann = {"id": next_id, "image_id": image_id, "category_id": category, "bbox": bbox}
                next_id += 1
                r = rng.random()
                if r < 0.1:
                    pass  # no area: the loader uses w*h
                elif r < 0.2:
                    # an area exactly on a range boundary
                    ann["area"] = rng.choice([32 ** 2, 96 ** 2])
                else:
                    # a segmentation-like area, smaller than the box
                    ann["area"] = round(bbox[2] * bbox[3] * rng.uniform(0.5, 1.0), 3)
                if crowd or rng.random() < 0.9:
                    ann["iscrowd"] = 1 if crowd else 0
                if not crowd and rng.random() < 0.05:
                    ann["ignore"] = 1  # pycocotools overwrites this with iscrowd
                annotations.append(ann)
                if image_id in no_dt:
                    continue
                if crowd:
                    # detections inside the crowd region
                    for _ in range(rng.randint(0, 3)):
                        x, y, w, h = bbox
                        dw, dh = round(w * rng.uniform(0.1, 0.5), 2), round(h * rng.uniform(0.1, 0.5), 2)
                        detections.append({"image_id": image_id, "category_id": category,
                                           "bbox": [round(x + rng.uniform(0, w - dw), 2),
                                                    round(y + rng.uniform(0, h - dh), 2), dw, dh],
                                           "score": score(rng, coarse_scores)})
                    continue
                if rng.random() < 0.85:
                    detections.append({"image_id": image_id, "category_id": category,
                                       "bbox": jitter(rng, bbox, rng.choice([0.02, 0.1, 0.25])),
                                       "score": score(rng, coarse_scores)})
                if rng.random() < 0.15:
                    detections.append({"image_id": image_id, "category_id": category,
                                       "bbox": jitter(rng, bbox, 0.1), "score": score(rng, coarse_scores)})
            if image_id not in no_dt:
                for _ in range(rng.randint(0, 3)):
                    kind = rng.choice(["small", "medium", "large"])
                    detections.append({"image_id": image_id, "category_id": category,
                                       "bbox": box_of_size(rng, kind, width, height),
                                       "score": score(rng, coarse_scores)})
        if stray_category is not None and image_id not in no_dt and rng.random() < 0.3:
            # a category the ground truth does not have: pycocotools skips it
            detections.append({"image_id": image_id, "category_id": stray_category,
                               "bbox": box_of_size(rng, "medium", width, height), "score": 0.5})
    rng.shuffle(detections)
    category_entries = [{"id": c, "name": "c%d" % c} for c in rng.sample(categories, len(categories))]
    gt = {"info": {"description": "generated by make_golden.py, seed %d" % seed},
          "images": images, "categories": category_entries, "annotations": annotations}
    return gt, detections


def perfect_case():
    """Every object detected exactly once, in all three size ranges, with crowd regions left alone."""
    gt, _ = random_case(seed=11, num_images=12, categories=[2, 5], empty_category=None, stray_category=None,
                        max_per_category=5, crowd_rate=0.1, coarse_scores=False)
    rng = random.Random(12)
    detections = [{"image_id": a["image_id"], "category_id": a["category_id"], "bbox": list(a["bbox"]),
                   "score": round(rng.random(), 4)}
                  for a in gt["annotations"] if not a.get("iscrowd", 0)]
    # areas from the boxes, so each object is in the same size range as its detection
    for a in gt["annotations"]:
        a["area"] = a["bbox"][2] * a["bbox"][3]
    rng.shuffle(detections)
    return gt, detections


def many_detections_case():
    """150 detections per image and category, more than maxDets=100, with tied scores."""
    rng = random.Random(21)
    images = [{"id": i, "width": 800, "height": 800} for i in (4, 2, 9)]
    annotations, detections = [], []
    next_id = 1
    for image in images:
        for category in (1, 2):
            boxes = []
            for _ in range(20):
                bbox = box_of_size(rng, rng.choice(["small", "medium", "large"]), 800, 800)
                boxes.append(bbox)
                annotations.append({"id": next_id, "image_id": image["id"], "category_id": category,
                                    "bbox": bbox, "area": round(bbox[2] * bbox[3], 2), "iscrowd": 0})
                next_id += 1
            for k in range(150):
                if k % 3 == 0:
                    bbox = jitter(rng, rng.choice(boxes), 0.15)
                else:
                    bbox = box_of_size(rng, rng.choice(["small", "medium", "large"]), 800, 800)
                detections.append({"image_id": image["id"], "category_id": category, "bbox": bbox,
                                   "score": score(rng, coarse=k % 2 == 0)})
    rng.shuffle(detections)
    gt = {"images": images, "categories": [{"id": 1}, {"id": 2}], "annotations": annotations}
    return gt, detections


def empty_detections_case():
    gt, _ = random_case(seed=31, num_images=5, categories=[1, 4], empty_category=None, stray_category=None,
                        max_per_category=3, crowd_rate=0.1, coarse_scores=True)
    return gt, []


GENERATED = {
    "perfect": perfect_case,
    "mixed": lambda: random_case(seed=1, num_images=40, categories=[1, 3, 7, 9], empty_category=9,
                                 stray_category=5, max_per_category=4, crowd_rate=0.08, coarse_scores=True),
    "fine_scores": lambda: random_case(seed=2, num_images=60, categories=[7, 1, 3], empty_category=None,
                                       stray_category=None, max_per_category=6, crowd_rate=0.05,
                                       coarse_scores=False),
    "many_detections": many_detections_case,
    "empty_detections": empty_detections_case,
}
HAND_WRITTEN = ["tiny_crowd", "tiny_ties"]


# ---------------------------------------------------------------------------------------------------------
# The oracle

def lines(values):
    """A JSON array with one element a line."""
    return "[\n" + ",\n".join("  " + json.dumps(v) for v in values) + "\n]" if values else "[]"


def write_json(name, value):
    with open(os.path.join(HERE, name), "w") as f:
        if isinstance(value, list):
            f.write(lines(value) + "\n")
        else:
            f.write("{\n" + ",\n".join(json.dumps(k) + ": " + (lines(v) if isinstance(v, list) else json.dumps(v))
                                        for k, v in value.items()) + "\n}\n")


def read_json(name):
    with open(os.path.join(HERE, name)) as f:
        return json.load(f)


def coco_from(dataset):
    coco = COCO()
    coco.dataset = dataset
    with contextlib.redirect_stdout(io.StringIO()):
        coco.createIndex()
    return coco


def stats(gt_dataset, detections):
    gt_dataset = copy.deepcopy(gt_dataset)
    for a in gt_dataset["annotations"]:
        a.setdefault("area", a["bbox"][2] * a["bbox"][3])
        a.setdefault("iscrowd", 0)
    gt = coco_from(gt_dataset)
    with contextlib.redirect_stdout(io.StringIO()):
        if detections:
            dt = gt.loadRes(copy.deepcopy(detections))
        else:
            dt = coco_from({"images": list(gt_dataset["images"]),
                            "categories": copy.deepcopy(gt_dataset["categories"]), "annotations": []})
        evaluation = COCOeval(gt, dt, "bbox")
        evaluation.evaluate()
        evaluation.accumulate()
        evaluation.summarize()
    return [float(s) for s in evaluation.stats]


def main():
    generator = "make_golden.py with pycocotools %s, numpy %s" % (importlib.metadata.version("pycocotools"),
                                                                   np.__version__)
    cases = {}
    for name, make in GENERATED.items():
        gt, detections = make()
        write_json(name + ".gt.json", gt)
        write_json(name + ".dt.json", detections)
    for name in list(GENERATED) + HAND_WRITTEN:
        gt = read_json(name + ".gt.json")
        detections = read_json(name + ".dt.json")
        values = stats(gt, detections)
        cases[name] = {"gt": name + ".gt.json", "dt": name + ".dt.json", "values": values}
        print("%-18s %s" % (name, " ".join("%.4f" % v for v in values)))
    with open(os.path.join(HERE, "golden.json"), "w") as f:
        f.write("{\n" + '"generator": %s,\n"stats": %s,\n"cases": {\n' % (json.dumps(generator),
                                                                           json.dumps(STAT_NAMES)))
        f.write(",\n".join("  %s: %s" % (json.dumps(k), json.dumps(v)) for k, v in cases.items()))
        f.write("\n}\n}\n")


if __name__ == "__main__":
    main()
