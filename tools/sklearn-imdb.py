#!/usr/bin/env python3
"""Train scikit-learn's TfidfVectorizer + LogisticRegression on IMDb and write its test predictions.

Usage: python3 tools/sklearn-imdb.py <imdb-dir> <out.json> [seed|bigrams] [pipeline.joblib]
  seed     TfidfVectorizer() + LogisticRegression() (scikit-learn's defaults: the original model)
  bigrams  ngram_range=(1, 2), min_df=2, sublinear_tf=True, C=10
Writes {"accuracy", "probabilities", "fitSeconds", "sklearnVersion"} (bench/parity-imdb.ts and
bench/parity-import.ts read it) and, when asked, the fitted Pipeline with joblib.
"""
import csv
import gzip
import json
import sys
import time

import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

CONFIGS = {
    "seed": ({}, {}),
    "bigrams": ({"ngram_range": (1, 2), "min_df": 2, "sublinear_tf": True}, {"C": 10}),
}


def read(path):
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [r["text"] for r in rows], [int(r["label"]) for r in rows]


def main():
    imdb, out = sys.argv[1], sys.argv[2]
    vectorizer_params, lr_params = CONFIGS[sys.argv[3] if len(sys.argv) > 3 else "seed"]
    train_x, train_y = read(f"{imdb}/train.csv.gz")
    test_x, test_y = read(f"{imdb}/test.csv.gz")
    started = time.perf_counter()
    vectorizer = TfidfVectorizer(**vectorizer_params)
    model = LogisticRegression(**lr_params).fit(vectorizer.fit_transform(train_x), train_y)
    if len(sys.argv) > 4:
        import joblib
        from sklearn.pipeline import Pipeline

        joblib.dump(Pipeline([("tfidf", vectorizer), ("clf", model)]), sys.argv[4])
    fit_seconds = time.perf_counter() - started
    probabilities = model.predict_proba(vectorizer.transform(test_x))[:, 1]
    accuracy = float(((probabilities > 0.5) == (__import__("numpy").array(test_y) == 1)).mean())
    with open(out, "w") as f:
        json.dump({"accuracy": accuracy, "probabilities": probabilities.tolist(), "fitSeconds": fit_seconds,
                   "sklearnVersion": sklearn.__version__, "vocabularySize": len(vectorizer.vocabulary_)}, f)


if __name__ == "__main__":
    main()
