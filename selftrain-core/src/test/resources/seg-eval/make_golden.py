"""Golden mIoU values for ConfusionMatrixTest, computed independently of selftrain with numpy.

The standard confusion-matrix recipe of FCN / mmsegmentation: for pixels whose truth is not 255,
np.bincount(truth * K + prediction, minlength=K*K) reshaped to K x K; IoU_k = diag / (row + col - diag),
NaN where row + col - diag is 0, mIoU = nanmean. A predicted value >= K (255 included: a pixel the model
left unlabeled) is counted as a miss of its true class: it adds to the row sum only.

Run: python3 make_golden.py  (writes cases.json and golden.json beside this file)
"""
import json
import os

import numpy as np

IGNORE = 255


def scores(k, pairs):
    matrix = np.zeros((k, k), dtype=np.int64)
    missed = np.zeros(k, dtype=np.int64)
    for truth, pred in pairs:
        t = np.asarray(truth, dtype=np.int64).ravel()
        p = np.asarray(pred, dtype=np.int64).ravel()
        keep = t != IGNORE
        t, p = t[keep], p[keep]
        labeled = p < k
        matrix += np.bincount(t[labeled] * k + p[labeled], minlength=k * k).reshape(k, k)
        missed += np.bincount(t[~labeled], minlength=k)
    tp = np.diag(matrix).astype(np.float64)
    rows = matrix.sum(axis=1) + missed
    cols = matrix.sum(axis=0)
    union = rows + cols - tp
    with np.errstate(invalid="ignore", divide="ignore"):
        iou = np.where(union > 0, tp / np.maximum(union, 1), np.nan)
    miou = float(np.nanmean(iou)) if np.any(union > 0) else float("nan")
    total = rows.sum()
    accuracy = float(tp.sum() / total) if total > 0 else float("nan")
    return miou, accuracy, [None if np.isnan(v) else float(v) for v in iou]


def case(name, k, h, w, pairs):
    return {"name": name, "numClasses": k, "height": h, "width": w,
            "images": [{"truth": np.asarray(t).ravel().tolist(), "prediction": np.asarray(p).ravel().tolist()} for t, p in pairs]}


def main():
    rng = np.random.default_rng(20261203)
    cases = []
    t = rng.integers(0, 4, size=(6, 7))
    cases.append(case("perfect", 4, 6, 7, [(t, t.copy())]))
    pairs = []
    for _ in range(3):
        truth = rng.integers(0, 5, size=(9, 8))
        truth[rng.random((9, 8)) < 0.15] = IGNORE
        pred = np.where(rng.random((9, 8)) < 0.6, np.where(truth == IGNORE, 0, truth), rng.integers(0, 5, size=(9, 8)))
        pairs.append((truth, pred))
    cases.append(case("random5_with_ignore", 5, 9, 8, pairs))
    truth = rng.integers(0, 2, size=(5, 5))
    pred = truth.copy()
    pred[0, :3] = 2  # class 2 appears only in the prediction
    cases.append(case("class_only_predicted", 4, 5, 5, [(truth, pred)]))  # class 3 absent from both: NaN
    truth = rng.integers(0, 3, size=(6, 6))
    pred = np.where(rng.random((6, 6)) < 0.3, IGNORE, truth)
    pred[5, 5] = (truth[5, 5] + 1) % 3
    cases.append(case("unlabeled_predictions", 3, 6, 6, [(truth, pred)]))
    big = []
    for _ in range(4):
        truth = rng.integers(0, 11, size=(16, 16))
        truth[:2, :] = IGNORE
        pred = np.where(rng.random((16, 16)) < 0.7, np.where(truth == IGNORE, 0, truth), rng.integers(0, 11, size=(16, 16)))
        big.append((truth, pred))
    cases.append(case("scenes11", 11, 16, 16, big))

    golden = {}
    for c in cases:
        k, h, w = c["numClasses"], c["height"], c["width"]
        pairs = [(np.array(i["truth"]).reshape(h, w), np.array(i["prediction"]).reshape(h, w)) for i in c["images"]]
        miou, accuracy, iou = scores(k, pairs)
        golden[c["name"]] = {"miou": miou, "pixelAccuracy": accuracy, "perClassIou": iou}
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "cases.json"), "w") as f:
        json.dump({"cases": cases}, f)
    with open(os.path.join(here, "golden.json"), "w") as f:
        json.dump(golden, f, indent=1)


if __name__ == "__main__":
    main()
