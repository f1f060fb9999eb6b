"""Fixtures for test/training/metrics.test.ts: scikit-learn's own metrics on seeded cases.

Run with Debian's scikit-learn (1.2.1):  /usr/bin/python3 tools/gen-metrics-fixtures.py
Writes test/fixtures/sklearn-metrics.json (committed: CI needs no Python).
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.metrics import (
    accuracy_score,
    log_loss,
    precision_recall_curve,
    precision_recall_fscore_support,
    roc_auc_score,
    roc_curve,
)

rng = np.random.default_rng(20261126)


def case(name, labels, probs):
    labels = np.asarray(labels, dtype=int)
    probs = np.asarray(probs, dtype=float)
    predicted = (probs > 0.5).astype(int)
    precision, recall, f1, _ = precision_recall_fscore_support(
        labels, predicted, average="binary", zero_division=0
    )
    prob_true, prob_pred = calibration_curve(labels, probs, n_bins=10, strategy="uniform")
    bins = np.linspace(0.0, 1.0, 11)
    binids = np.searchsorted(bins[1:-1], probs)
    counts = np.bincount(binids, minlength=10)
    fpr, tpr, roc_thresholds = roc_curve(labels, probs, drop_intermediate=False)
    pr_precision, pr_recall, pr_thresholds = precision_recall_curve(labels, probs)
    return {
        "name": name,
        "labels": labels.tolist(),
        "probabilities": probs.tolist(),
        "accuracy": accuracy_score(labels, predicted),
        "precision": float(precision),
        "recall": float(recall),
        "f1": float(f1),
        "rocAuc": roc_auc_score(labels, probs),
        "logLoss": log_loss(labels, probs),
        "calibration": {
            "fractionPositive": prob_true.tolist(),
            "meanPredicted": prob_pred.tolist(),
            "counts": counts.tolist(),
        },
        "roc": {"fpr": fpr.tolist(), "tpr": tpr.tolist()},
        # Highest threshold first, without the (recall 0, precision 1) point scikit-learn appends.
        "precisionRecall": {
            "recall": pr_recall[:-1][::-1].tolist(),
            "precision": pr_precision[:-1][::-1].tolist(),
        },
    }


n = 400
labels = rng.integers(0, 2, n)
noisy = np.clip(labels * 0.35 + rng.random(n) * 0.65, 0, 1)
cases = [
    case("continuous", labels, noisy),
    # One decimal: many ties, and probabilities exactly on bin edges (0.3, 0.5, ...).
    case("ties on bin edges", labels, np.round(noisy, 1)),
    # Certain answers, right and wrong: log loss clips at machine epsilon.
    case(
        "zeros and ones",
        [1, 0, 1, 0, 1, 0, 1, 1],
        [1.0, 0.0, 0.0, 1.0, 0.9, 0.2, 0.5, 0.999],
    ),
    case(
        "imbalanced, 10% positive",
        (rng.random(300) < 0.1).astype(int),
        rng.random(300),
    ),
]
out = {
    "generatedBy": "tools/gen-metrics-fixtures.py",
    "sklearn": sklearn.__version__,
    "numpy": np.__version__,
    "python": sys.version.split()[0],
    "cases": cases,
}
with open("test/fixtures/sklearn-metrics.json", "w") as f:
    json.dump(out, f)
    f.write("\n")
print("wrote", len(cases), "cases")
