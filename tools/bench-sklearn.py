#!/usr/bin/env python3
"""scikit-learn's side of `npm run bench`: the same workloads with the same parameters.

Usage: python3 tools/bench-sklearn.py fit <imdb-dir> <preset> <model.joblib>      (timed as a whole process)
       python3 tools/bench-sklearn.py score <imdb-dir> <model.joblib> <out.csv>          (timed as a whole process)
       python3 tools/bench-sklearn.py measure <imdb-dir> <preset> <model.joblib> <out.json> <runs>
       python3 tools/bench-sklearn.py cold-code <model.joblib> <review>   (prints what a cold start runs)
Presets mirror src/training/presets.ts:
  seed     TfidfVectorizer() + LogisticRegression()
  default  HTML stripped and lowercased, token_pattern (?u)\\b\\w+\\b, 1-2-grams, min_df 2,
           sublinear tf, Naive-Bayes log-count-ratio scaling (binarized counts, alpha 1), C 10
Prints nothing; writes timings, sizes and accuracy as JSON.
"""
import csv
import gzip
import json
import os
import re
import resource
import statistics
import sys
import tempfile
import time

import numpy as np
import sklearn
import joblib
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sklearn_nb import NaiveBayesScaler, strip_html_lower  # noqa: E402  (a module of its own, so joblib files load elsewhere)

def build(preset):
    if preset == "seed":
        return Pipeline([("tfidf", TfidfVectorizer()), ("clf", LogisticRegression())])
    if preset in ("default", "nb-lr-bi"):  # nb-lr-bi: the `default` preset before the domain presets
        return Pipeline([
            ("tfidf", TfidfVectorizer(preprocessor=strip_html_lower, token_pattern=r"(?u)\b\w+\b",
                                      ngram_range=(1, 2), min_df=2, sublinear_tf=True)),
            ("nb", NaiveBayesScaler(1.0)),
            ("clf", LogisticRegression(C=10)),
        ])
    raise SystemExit(f"unknown preset {preset}")


def read(path):
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [r["text"] for r in rows], np.array([int(r["label"]) for r in rows])


# A cold start: a fresh python3 runs this (bench/run.ts times it, alternating with our CLI, on the
# same review).
COLD_START = """
import resource, sys
import joblib
sys.path.insert(0, {tools!r})
model = joblib.load({path!r})
model.predict_proba([{review!r}])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def fit(imdb, preset, path):
    """One whole fit, as a process of its own: read, fit, drop stop_words_, dump."""
    train_x, train_y = read(f"{imdb}/train.csv.gz")
    model = build(preset).fit(train_x, train_y)
    # scikit-learn documents stop_words_ (the n-grams min_df discarded) as introspection only, safe
    # to drop before pickling; keeping it doubled the file and its load time.
    model.named_steps["tfidf"].stop_words_ = None
    joblib.dump(model, path)


def score(imdb, path, out):
    """Score a file as one process of its own: load the model, read the reviews, predict, write."""
    model = joblib.load(path)
    texts, _ = read(f"{imdb}/test.csv.gz")
    probabilities = model.predict_proba(texts)[:, 1]
    with open(out, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["sentiment", "probabilityPositive"])
        for p in probabilities:
            writer.writerow(["positive" if p > 0.5 else "negative", repr(float(p))])


def spread(xs):
    xs = sorted(xs)
    return {"min": xs[0], "median": xs[len(xs) // 2], "max": xs[-1]}


def main():
    if sys.argv[1] == "fit":
        fit(sys.argv[2], sys.argv[3], sys.argv[4])
        return
    if sys.argv[1] == "score":  # score <imdb> <model.joblib> <out.csv>
        score(sys.argv[2], sys.argv[3], sys.argv[4])
        return
    if sys.argv[1] == "cold-code":  # cold-code <model.joblib> <review>: what a cold start runs
        print(COLD_START.format(tools=os.path.dirname(os.path.abspath(__file__)), path=sys.argv[2], review=sys.argv[3]))
        return
    # measure <imdb> <preset> <model.joblib> <out.json> <runs>: the model a timed fit process wrote.
    imdb, preset, path, out = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
    runs = int(sys.argv[6])
    model = joblib.load(path)
    test_x, test_y = read(f"{imdb}/test.csv.gz")
    batch = []
    for _ in range(runs):
        started = time.perf_counter()
        probabilities = model.predict_proba(test_x)[:, 1]
        batch.append(len(test_x) / (time.perf_counter() - started))
    accuracy = float(((probabilities > 0.5) == (test_y == 1)).mean())
    singles = []
    for review in test_x[:2000]:
        started = time.perf_counter()
        model.predict_proba([review])
        singles.append((time.perf_counter() - started) * 1000)
    singles.sort()
    loads = []
    for _ in range(runs):
        started = time.perf_counter()
        joblib.load(path)
        loads.append((time.perf_counter() - started) * 1000)
    # Cold starts (fresh processes) are run by bench/run.ts, alternating with ours: see cold-code.
    json.dump({
        "sklearnVersion": sklearn.__version__,
        "python": sys.version.split()[0],
        "accuracy": accuracy,
        "batchPerSecond": spread(batch),
        "singleP50Ms": singles[len(singles) // 2],
        "singleP99Ms": singles[int(len(singles) * 0.99)],
        "artifactBytes": os.path.getsize(path),
        "loadMs": spread(loads),
        "vocabularySize": len(model.named_steps["tfidf"].vocabulary_),
    }, open(out, "w"))


if __name__ == "__main__":
    main()
