#!/usr/bin/env python3
"""Convert a scikit-learn sentiment pipeline (joblib or pickle) into a serverless-sentiment model file.

    python3 tools/export-sklearn.py <pipeline.joblib> <model.sntm> [--positive-label LABEL]

The pipeline must be TfidfVectorizer + LogisticRegression, or CountVectorizer + TfidfTransformer +
LogisticRegression, with two classes. The script writes the vectorizer's vocabulary, idf and
settings and the regression's weights to <model.sntm>.json, then runs
`sentiment import-sklearn` to turn that into <model.sntm> (use --json-only to stop at the JSON).

WARNING: unpickling runs code. Use this only on files you trust; the model file it produces is
plain data and runs nothing when loaded, which is the point of converting.
"""
import argparse
import hashlib
import json
import os
import pickle
import subprocess
import sys

DEFAULT_TOKEN_PATTERN = r"(?u)\b\w\w+\b"
SINGLE_CHARACTER_TOKEN_PATTERN = r"(?u)\b\w+\b"
TOKEN_PATTERNS = {DEFAULT_TOKEN_PATTERN: "default", SINGLE_CHARACTER_TOKEN_PATTERN: "single-character"}


def load(path):
    try:
        import joblib

        return joblib.load(path)
    except ImportError:
        with open(path, "rb") as f:
            return pickle.load(f)


def describe_unsupported(vectorizer, transformer, classifier, english):
    problems = []
    v = vectorizer
    if v.analyzer != "word":
        problems.append(f"analyzer={v.analyzer!r} (only 'word' is supported; char n-grams and callables are not)")
    if v.preprocessor is not None:
        problems.append("a custom preprocessor")
    if v.tokenizer is not None:
        problems.append("a custom tokenizer")
    if v.token_pattern not in TOKEN_PATTERNS:
        problems.append(f"token_pattern={v.token_pattern!r} (only {' or '.join(map(repr, TOKEN_PATTERNS))})")
    if callable(v.strip_accents):
        problems.append("a custom strip_accents function")
    elif v.strip_accents not in (None, "ascii", "unicode"):
        problems.append(f"strip_accents={v.strip_accents!r}")
    if v.stop_words not in (None, "english") and frozenset(v.stop_words) != english:
        problems.append("a custom stop-word list (only None or 'english')")
    if getattr(v, "input", "content") != "content":
        problems.append(f"input={v.input!r} (only 'content')")
    if getattr(v, "decode_error", "strict") not in ("strict",) or getattr(v, "encoding", "utf-8") != "utf-8":
        pass  # only matters for bytes input, which 'content' strings never are
    classes = list(getattr(classifier, "classes_", []))
    if len(classes) != 2 or classifier.coef_.shape[0] != 1:
        problems.append(f"{len(classes)} classes (only binary classification)")
    vocabulary = getattr(v, "vocabulary_", None)
    if vocabulary is None:
        problems.append("an unfitted vectorizer")
    elif sorted(vocabulary.values()) != list(range(len(vocabulary))):
        problems.append("a vocabulary whose indices are not 0..n-1")
    elif any(" " in term and v.ngram_range[1] == 1 for term in vocabulary):
        problems.append("a hand-made vocabulary with spaces in unigrams")
    if vocabulary is not None and classifier.coef_.shape[1] != len(vocabulary):
        problems.append("a classifier trained on a different number of features than the vocabulary")
    if transformer is None and not hasattr(v, "idf_") and getattr(v, "use_idf", False):
        problems.append("a TfidfVectorizer without a fitted idf_")
    return problems


def positive_index(classes, chosen):
    names = [str(c).lower() for c in classes]
    if chosen is not None:
        if chosen.lower() not in names:
            sys.exit(f"--positive-label {chosen!r} is not one of the classes {classes}")
        return names.index(chosen.lower())
    for candidate in ("1", "pos", "positive", "true"):
        if candidate in names:
            return names.index(candidate)
    sys.exit(f"cannot tell which of the classes {classes} is positive: pass --positive-label")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pipeline")
    parser.add_argument("model")
    parser.add_argument("--positive-label")
    parser.add_argument("--json-only", action="store_true", help="write <model>.json and stop")
    args = parser.parse_args()

    import sklearn
    from sklearn.feature_extraction.text import (
        ENGLISH_STOP_WORDS,
        CountVectorizer,
        TfidfTransformer,
        TfidfVectorizer,
    )
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    print("warning: loading a pickle runs code; only convert files you trust", file=sys.stderr)
    with open(args.pipeline, "rb") as f:
        source_sha256 = hashlib.sha256(f.read()).hexdigest()
    pipeline = load(args.pipeline)
    if not isinstance(pipeline, Pipeline):
        sys.exit(f"unsupported: expected a sklearn Pipeline, found {type(pipeline).__name__}")
    steps = [step for _, step in pipeline.steps if step not in (None, "passthrough")]
    transformer = None
    if len(steps) == 2 and isinstance(steps[0], TfidfVectorizer) and isinstance(steps[1], LogisticRegression):
        vectorizer, classifier = steps
        weighting = vectorizer
    elif (
        len(steps) == 3
        and type(steps[0]) is CountVectorizer
        and isinstance(steps[1], TfidfTransformer)
        and isinstance(steps[2], LogisticRegression)
    ):
        vectorizer, transformer, classifier = steps
        weighting = transformer
    else:
        names = " -> ".join(type(s).__name__ for s in steps)
        sys.exit(
            f"unsupported pipeline {names}: expected TfidfVectorizer -> LogisticRegression "
            "or CountVectorizer -> TfidfTransformer -> LogisticRegression"
        )

    problems = describe_unsupported(vectorizer, transformer, classifier, ENGLISH_STOP_WORDS)
    if problems:
        sys.exit("unsupported settings:\n  - " + "\n  - ".join(problems))

    classes = list(classifier.classes_)
    positive = positive_index(classes, args.positive_label)
    sign = 1.0 if positive == 1 else -1.0
    vocabulary = sorted(vectorizer.vocabulary_.items(), key=lambda item: item[1])
    use_idf = bool(weighting.use_idf)
    stop_words = "english" if vectorizer.stop_words is not None else "none"
    export = {
        "kind": "serverless-sentiment/sklearn-export",
        "sklearnVersion": sklearn.__version__,
        "source": {"file": os.path.basename(args.pipeline), "sha256": source_sha256},
        "pipeline": " -> ".join(type(s).__name__ for s in steps),
        "classes": [str(c) for c in classes],
        "positiveClass": str(classes[positive]),
        "analyzer": {
            "lowercase": bool(vectorizer.lowercase),
            "stripAccents": vectorizer.strip_accents or "none",
            "stopWords": stop_words,
            "ngramRange": list(vectorizer.ngram_range),
            "stripHtml": False,
            "tokenPattern": TOKEN_PATTERNS[vectorizer.token_pattern],
        },
        "weighting": {
            "binary": bool(vectorizer.binary),
            "useIdf": use_idf,
            "smoothIdf": bool(weighting.smooth_idf),
            "sublinearTf": bool(weighting.sublinear_tf),
            "norm": weighting.norm or "none",
        },
        "training": {
            "minDf": vectorizer.min_df,
            "maxDf": vectorizer.max_df,
            "maxFeatures": vectorizer.max_features,
            "C": classifier.C,
            "penalty": str(classifier.penalty),
            "solver": str(classifier.solver),
        },
        "vocabulary": [term for term, _ in vocabulary],
        "idf": [float(x) for x in weighting.idf_] if use_idf else None,
        # Weights towards the positive class (sklearn's coef_ points to classes_[1]).
        "weights": [sign * float(w) for w in classifier.coef_[0]],
        "intercept": sign * float(classifier.intercept_[0]),
    }
    json_path = args.model + ".json"
    with open(json_path, "w", encoding="utf-8") as f:
        json.dump(export, f, ensure_ascii=False)
    if args.json_only:
        print(f"wrote {json_path}")
        return
    cli = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "dist", "cli", "bin.js")
    subprocess.run(["node", cli, "import-sklearn", json_path, args.model], check=True)
    os.remove(json_path)


if __name__ == "__main__":
    main()
