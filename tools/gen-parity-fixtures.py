#!/usr/bin/env python3
"""Write test/fixtures/sklearn-parity.json: what scikit-learn computes, for the TypeScript tests to match.

Covers the analyzer's corner cases (non-ASCII letters and digits, accents, underscores, apostrophes,
HTML, runs of punctuation, one-letter tokens, empty documents, repeated n-grams) under several
TfidfVectorizer settings, and LogisticRegression on the bundled IMDb sample.

Run: /usr/bin/python3 tools/gen-parity-fixtures.py   (needs scikit-learn; CI does not)
"""
import csv
import gzip
import io
import json
import sys

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

CORPUS = [
    "This movie was great, GREAT, great!!! I loved it.",
    "Terrible... just terrible. I want my 2 hours back :(",
    "Café, naïve, résumé and façade: accents everywhere. Crème brûlée!",
    "Straße und Größe; Ärger über Öl. ÀÉÎÕÜ",
    "Ελληνικά γράμματα και αριθμοί ١٢٣ and Ⅻ and ½ and ²³",
    "日本語のテキスト 中文 한국어 text mixed with English words",
    "snake_case __init__ _x a_b x_ don't won't it's o'clock rock'n'roll",
    "<br /><br />HTML tags <b>bold</b> and <i>italic</i><br/>end",
    "?!?!... --- *** a b c d e I x y z 1 2 3 42 007",
    "",
    "   ",
    "repeat repeat repeat repeat repeat the the the the the end",
    "the film the film the film is a film",
    "Emoji 😀 👍🏽 are not words but text😀text is split",
    "Combining: e\u0301 (e + accent) vs \u00e9 (precomposed); ﬁ ligature ＦＵＬＬ width",
    "Dotted İstanbul, final Σ in ΟΔΟΣ, Turkish ı and ß, ǅ titlecase",
    "Numbers: 3.14 1,000,000 2nd 21st 10th 1980s 90s",
    "Tabs\tand\nnewlines\r\nand\u00a0non-breaking\u2003spaces",
    "Hyphenated well-known self-aware state-of-the-art mid-1990s",
    "ALL CAPS SHOUTING IS NOT A REVIEW BUT IT IS TEXT",
    "x",
    "It was not good, not good at all; it was bad, very bad.",
    "An excellent, moving, beautiful film with a superb cast.",
    "A boring, dull, predictable waste of time and money.",
]

UNSEEN = [
    "great film, terrible ending",
    "completely unknown vocabulary zzzz qqqq",
    "",
    "Crème brûlée café naïve",
    "the the the the",
    "repeat repeat great great bad",
]

CONFIGS = [
    ("defaults", {}),
    ("bigrams-sublinear-mindf2", {"ngram_range": (1, 2), "sublinear_tf": True, "min_df": 2}),
    ("unicode-stopwords-l1-nosmooth", {"strip_accents": "unicode", "stop_words": "english", "norm": "l1", "smooth_idf": False}),
    ("ascii-binary-noidf-maxdf", {"strip_accents": "ascii", "binary": True, "use_idf": False, "max_df": 0.5}),
    # 33 is a cut with no tie in total counts: scikit-learn breaks ties with an unstable argsort.
    ("trigrams-maxfeatures-nonorm", {"ngram_range": (1, 3), "max_features": 33, "norm": None}),
    ("cased-bigrams-only-maxdf-count", {"lowercase": False, "ngram_range": (2, 2), "max_df": 3}),
    ("mindf-fraction", {"min_df": 0.09, "sublinear_tf": True}),
    ("single-character-tokens-bigrams", {"token_pattern": r"(?u)\b\w+\b", "ngram_range": (1, 2)}),
]


def ours(params):
    """The same settings in the TypeScript option names."""
    out = {
        "lowercase": params.get("lowercase", True),
        "stripAccents": params.get("strip_accents") or "none",
        "stopWords": params.get("stop_words") or "none",
        "ngramRange": list(params.get("ngram_range", (1, 1))),
        "stripHtml": False,
        "tokenPattern": "single-character" if params.get("token_pattern") == r"(?u)\b\w+\b" else "default",
        "binary": params.get("binary", False),
        "useIdf": params.get("use_idf", True),
        "smoothIdf": params.get("smooth_idf", True),
        "sublinearTf": params.get("sublinear_tf", False),
        "norm": params.get("norm", "l2") or "none",
        "minDf": params.get("min_df", 1),
        "maxDf": None if params.get("max_df", 1.0) == 1.0 and isinstance(params.get("max_df", 1.0), float) else params["max_df"],
        "maxFeatures": params.get("max_features"),
    }
    return out


def sparse_rows(matrix):
    """Rows as {column: value} with the columns as strings (JSON keys)."""
    matrix = matrix.tocsr()
    rows = []
    for i in range(matrix.shape[0]):
        start, end = matrix.indptr[i], matrix.indptr[i + 1]
        rows.append({str(int(c)): float(v) for c, v in zip(matrix.indices[start:end], matrix.data[start:end])})
    return rows


def vectorizer_case(name, params):
    vectorizer = TfidfVectorizer(**params)
    fitted = vectorizer.fit_transform(CORPUS)
    vocabulary = sorted(vectorizer.vocabulary_.items(), key=lambda item: item[1])
    return {
        "name": name,
        "sklearn": {k: (list(v) if isinstance(v, tuple) else v) for k, v in params.items()},
        "options": ours(params),
        "vocabulary": [term for term, _ in vocabulary],
        "idf": vectorizer.idf_.tolist() if vectorizer.use_idf else None,
        "fitted": sparse_rows(fitted),
        "unseen": sparse_rows(vectorizer.transform(UNSEEN)),
    }


def read_sample(path):
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [r["text"] for r in rows], np.array([int(r["label"]) for r in rows])


def reference_logistic(C):
    """The objective lbfgs minimizes, solved to the optimum: lbfgs itself stops early on its ftol
    (relative decrease below 64 eps) with probabilities still ~2e-4 away, so use newton-cg."""
    return LogisticRegression(C=C, solver="newton-cg", tol=1e-7, max_iter=1000)


def logistic_case(name, params, C, texts, labels, train_size, test_size):
    vectorizer = TfidfVectorizer(**params)
    X = vectorizer.fit_transform(texts[:train_size])
    model = reference_logistic(C).fit(X, labels[:train_size])
    held_out = vectorizer.transform(texts[train_size:train_size + test_size])
    return {
        "name": name,
        "options": ours(params),
        "C": C,
        "trainSize": train_size,
        "testSize": test_size,
        "vocabularySize": len(vectorizer.vocabulary_),
        "intercept": float(model.intercept_[0]),
        "coefficientNorm": float(np.linalg.norm(model.coef_)),
        "probabilities": model.predict_proba(held_out)[:, 1].tolist(),
    }


def small_logistic_case():
    labels = [1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 0]
    vectorizer = TfidfVectorizer()
    X = vectorizer.fit_transform(CORPUS)
    model = reference_logistic(3.0).fit(X, labels)
    return {
        "labels": labels,
        "C": 3.0,
        "coefficients": model.coef_[0].tolist(),
        "intercept": float(model.intercept_[0]),
        "probabilities": model.predict_proba(vectorizer.transform(UNSEEN))[:, 1].tolist(),
    }


def pipeline_export_case(name, steps, texts, labels):
    """A fitted pipeline exported by tools/export-sklearn.py, with its predict_proba on held-out reviews."""
    import os
    import subprocess
    import tempfile

    import joblib
    from sklearn.pipeline import Pipeline

    pipeline = Pipeline(steps).fit(texts[:600], labels[:600])
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, f"{name}.joblib")
        joblib.dump(pipeline, path)
        subprocess.run([sys.executable, "tools/export-sklearn.py", path, os.path.join(tmp, "m.sntm"), "--json-only"], check=True)
        with open(os.path.join(tmp, "m.sntm.json"), encoding="utf-8") as f:
            export = json.load(f)
    return {"name": name, "export": export, "heldOutFrom": 600, "heldOutTo": 900,
            "probabilities": pipeline.predict_proba(texts[600:900])[:, 1].tolist()}


def main():
    texts, labels = read_sample("data/imdb-sample.csv.gz")
    fixture = {
        "generatedBy": "tools/gen-parity-fixtures.py",
        "sklearnVersion": sklearn.__version__,
        "pythonVersion": sys.version.split()[0],
        "corpus": CORPUS,
        "unseen": UNSEEN,
        "vectorizers": [vectorizer_case(name, params) for name, params in CONFIGS],
        "smallLogistic": small_logistic_case(),
        "logistic": [
            logistic_case("defaults-C1", {}, 1.0, texts, labels, 1000, 300),
            logistic_case("bigrams-mindf2-sublinear-C10", {"ngram_range": (1, 2), "min_df": 2, "sublinear_tf": True}, 10.0, texts, labels, 1000, 300),
        ],
    }
    with open("test/fixtures/sklearn-parity.json", "w", encoding="utf-8") as f:
        json.dump(fixture, f, ensure_ascii=False)

    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

    pipelines = [
        pipeline_export_case("tfidf-lr", [("tfidf", TfidfVectorizer()), ("clf", LogisticRegression())], texts, labels),
        pipeline_export_case(
            "count-tfidf-lr-bigrams-string-labels",
            [
                ("counts", CountVectorizer(ngram_range=(1, 2), min_df=2, strip_accents="unicode")),
                ("tfidf", TfidfTransformer(sublinear_tf=True)),
                ("clf", LogisticRegression(C=10, max_iter=1000)),
            ],
            texts,
            np.array(["positive" if y == 1 else "negative" for y in labels]),
        ),
    ]
    with open("test/fixtures/sklearn-pipelines.json", "w", encoding="utf-8") as f:
        json.dump({"sklearnVersion": sklearn.__version__, "pipelines": pipelines}, f, ensure_ascii=False)


if __name__ == "__main__":
    main()
