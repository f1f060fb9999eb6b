#!/usr/bin/env python3
"""scikit-learn's side of bench/batch-throughput.ts: score a CSV file into a CSV file.

Usage: python3 tools/sklearn-score-file.py <imdb-dir> <out.json> [runs]
Fits the `nb-lr-bi` pipeline of tools/bench-sklearn.py (the same vocabulary as the project's
`default` preset) on train.csv.gz once, then, per run, times what `sentiment predict --data test.csv.gz
--out predictions.csv` does: read the gzip'd CSV, predict_proba on every review, write one row per
review. Writes the timings as JSON.
"""
import csv
import gzip
import json
import os
import statistics
import sys
import tempfile
import time

import sklearn

import importlib.util  # noqa: E402

# tools/bench-sklearn.py builds the pipelines; its file name has a dash, so load it by path.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
spec = importlib.util.spec_from_file_location("bench_sklearn", os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench-sklearn.py"))
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def main():
    imdb, out = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    train_x, train_y = bench.read(os.path.join(imdb, "train.csv.gz"))
    model = bench.build("nb-lr-bi").fit(train_x, train_y)
    seconds = []
    with tempfile.TemporaryDirectory() as tmp:
        target = os.path.join(tmp, "predictions.csv")
        for _ in range(runs):
            started = time.perf_counter()
            with gzip.open(os.path.join(imdb, "test.csv.gz"), "rt", encoding="utf-8", newline="") as f:
                rows = list(csv.DictReader(f))
            probabilities = model.predict_proba([r["text"] for r in rows])[:, 1]
            with open(target, "w", newline="") as f:
                writer = csv.writer(f)
                writer.writerow(["sentiment", "confidence", "probabilityPositive"])
                for p in probabilities:
                    positive = p > 0.5
                    writer.writerow(["positive" if positive else "negative", p if positive else 1 - p, p])
            seconds.append(time.perf_counter() - started)
    json.dump({"sklearnVersion": sklearn.__version__, "rows": len(rows), "seconds": seconds,
               "median": statistics.median(seconds)}, open(out, "w"))


if __name__ == "__main__":
    main()
