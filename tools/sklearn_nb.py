"""The pieces of the `default` preset's scikit-learn equivalent (tools/bench-sklearn.py): HTML
stripping and Naive-Bayes feature scaling, in a module of its own so that pickled pipelines load in
a fresh process."""
import re

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

HTML_TAG = re.compile(r"<[^<>]*>")


def strip_html_lower(text):
    return HTML_TAG.sub(" ", text).lower()


class NaiveBayesScaler(BaseEstimator, TransformerMixin):
    """Scales features by r = ln((p/|p|1) / (q/|q|1)) over binarized counts (Wang & Manning 2012)."""

    def __init__(self, alpha=1.0):
        self.alpha = alpha

    def fit(self, X, y):
        y = np.asarray(y)
        present = (X > 0).astype(np.float64)
        p = self.alpha + np.asarray(present[y == 1].sum(axis=0)).ravel()
        q = self.alpha + np.asarray(present[y == 0].sum(axis=0)).ravel()
        self.r_ = np.log((p / p.sum()) / (q / q.sum()))
        return self

    def transform(self, X):
        return X @ sparse.diags(self.r_)
