#!/usr/bin/python3
"""Writes the random-forest reference fixtures in tests/data/forest/ from scikit-learn.

  /usr/bin/python3 tools/make_forest_fixtures.py     (needs python3-sklearn; apt-get install python3-sklearn)

- digits.csv: sklearn's digits (1797 x 64) with a fixed train/test split (column `split`: 0 train, 1 test).
- forest_reference.txt: `key value...` lines: scikit-learn's test accuracy / R2 with settings
  matched to ForestParams::sklearn_defaults (bootstrap, max_features='sqrt' for classifiers and
  1.0 for regressors, no depth limit, leaves of one row), averaged over 5 seeds, on digits and on
  the synthetic sets of include/visiondb/ml/forest/synthetic_data.hpp (mirrored in
  tools/forest_synthetic.py; checksums of the generated data let the C++ test check the mirror).
- metrics.txt: inputs and sklearn.metrics outputs for include/visiondb/ml/metrics.hpp.
The big synthetic data sets are never written: the C++ tests generate them.
"""
import os
import sys

import numpy as np
from sklearn import datasets, metrics
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.model_selection import train_test_split

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import forest_synthetic as fs  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "forest")
SEEDS = [0, 1, 2, 3, 4]

# The synthetic sets, shared with tests/forest/*_test.cpp (keep in sync).
CLS = dict(rows=120000, features=50, informative=12, redundant=6, classes=5, clusters_per_class=2,
           class_sep=1.0, flip_y=0.03, seed=1)
CLS_TRAIN, CLS_TREES = 100000, 20
EMB = dict(rows=3000, dims=2048, classes=10, signal=0.6, active=0.1, seed=3)
EMB_TRAIN, EMB_TREES = 2000, 100
REG = dict(rows=7000, features=10, noise=1.0, seed=9)
REG_TRAIN, REG_TREES = 5000, 100


def fmt(v):
    return repr(float(v))


def rf_accuracy(x, y, train, trees):
    accs = []
    for s in SEEDS:
        m = RandomForestClassifier(n_estimators=trees, max_features="sqrt", bootstrap=True, min_samples_leaf=1,
                                   max_depth=None, n_jobs=2, random_state=s)
        m.fit(x[:train], y[:train])
        accs.append(m.score(x[train:], y[train:]))
        print(f"  seed {s}: {accs[-1]:.4f}", flush=True)
    return float(np.mean(accs)), float(np.min(accs)), float(np.max(accs))


def checksum(x, y):
    head = x[:1000].astype(np.float64)
    return [head.sum(), np.abs(head).sum(), float(y[:1000].astype(np.float64).sum())]


def main():
    os.makedirs(OUT, exist_ok=True)
    ref = []

    d = datasets.load_digits()
    idx = np.arange(len(d.target))
    tr, te = train_test_split(idx, test_size=0.3, random_state=0, stratify=d.target)
    split = np.zeros(len(idx), dtype=int)
    split[te] = 1
    with open(os.path.join(OUT, "digits.csv"), "w") as f:
        f.write("split,label," + ",".join(f"p{i}" for i in range(64)) + "\n")
        for i in idx:
            f.write(f"{split[i]},{d.target[i]}," + ",".join(str(int(v)) for v in d.data[i]) + "\n")
    order = np.concatenate([tr, te])
    print("digits", flush=True)
    mean, lo, hi = rf_accuracy(d.data[order], d.target[order], len(tr), 100)
    ref.append(f"digits.accuracy {fmt(mean)} {fmt(lo)} {fmt(hi)}")

    print("classification", flush=True)
    x, y = fs.make_classification_like(**CLS)
    ref.append("classification.checksum " + " ".join(fmt(v) for v in checksum(x, y)))
    mean, lo, hi = rf_accuracy(x, y, CLS_TRAIN, CLS_TREES)
    ref.append(f"classification.accuracy {fmt(mean)} {fmt(lo)} {fmt(hi)}")

    print("embedding", flush=True)
    x, y = fs.make_embedding_like(**EMB)
    ref.append("embedding.checksum " + " ".join(fmt(v) for v in checksum(x, y)))
    mean, lo, hi = rf_accuracy(x, y, EMB_TRAIN, EMB_TREES)
    ref.append(f"embedding.accuracy {fmt(mean)} {fmt(lo)} {fmt(hi)}")

    print("regression", flush=True)
    x, y = fs.make_friedman1_like(**REG)
    ref.append("regression.checksum " + " ".join(fmt(v) for v in checksum(x, y)))
    r2 = []
    for s in SEEDS:
        m = RandomForestRegressor(n_estimators=REG_TREES, max_features=1.0, bootstrap=True, n_jobs=2, random_state=s)
        m.fit(x[:REG_TRAIN], y[:REG_TRAIN])
        r2.append(m.score(x[REG_TRAIN:], y[REG_TRAIN:]))
        print(f"  seed {s}: {r2[-1]:.4f}", flush=True)
    ref.append(f"regression.r2 {fmt(np.mean(r2))} {fmt(np.min(r2))} {fmt(np.max(r2))}")

    x, y = fs.make_covertype_like(2000)
    ref.append("covertype.checksum " + " ".join(fmt(v) for v in checksum(x, y)))

    with open(os.path.join(OUT, "forest_reference.txt"), "w") as f:
        f.write("# written by tools/make_forest_fixtures.py; scikit-learn " + __import__("sklearn").__version__ + "\n")
        f.write("\n".join(ref) + "\n")

    write_metrics()


def write_metrics():
    rng = np.random.RandomState(42)
    lines = []

    def put(name, values):
        values = np.atleast_1d(np.asarray(values, dtype=np.float64)).ravel()
        lines.append(name + " " + " ".join(fmt(v) for v in values))

    # Multiclass: 3 classes, 300 rows, probabilities from noisy logits.
    n, k = 300, 3
    y_true = rng.randint(0, k, n)
    logits = rng.normal(size=(n, k)) + 1.5 * np.eye(k)[y_true]
    prob = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    prob = np.round(prob, 6)
    prob /= prob.sum(1, keepdims=True)
    y_pred = prob.argmax(1)
    put("multi.k", [k])
    put("multi.y_true", y_true)
    put("multi.prob", prob)
    put("multi.accuracy", metrics.accuracy_score(y_true, y_pred))
    p, r, f1, _ = metrics.precision_recall_fscore_support(y_true, y_pred, labels=list(range(k)), zero_division=0)
    put("multi.precision", p)
    put("multi.recall", r)
    put("multi.f1", f1)
    put("multi.macro_precision", metrics.precision_score(y_true, y_pred, average="macro", zero_division=0))
    put("multi.macro_recall", metrics.recall_score(y_true, y_pred, average="macro", zero_division=0))
    put("multi.macro_f1", metrics.f1_score(y_true, y_pred, average="macro", zero_division=0))
    put("multi.log_loss", metrics.log_loss(y_true, prob, labels=list(range(k))))
    put("multi.roc_auc_ovr_macro", metrics.roc_auc_score(y_true, prob, multi_class="ovr", average="macro"))
    put("multi.confusion", metrics.confusion_matrix(y_true, y_pred, labels=list(range(k))))

    # Binary with tied scores.
    n = 200
    y_true = rng.randint(0, 2, n)
    score = np.round(np.clip(0.5 + 0.25 * (2 * y_true - 1) + rng.normal(scale=0.3, size=n), 0.001, 0.999), 2)
    y_pred = (score >= 0.5).astype(int)
    put("binary.y_true", y_true)
    put("binary.score", score)
    put("binary.roc_auc", metrics.roc_auc_score(y_true, score))
    put("binary.log_loss", metrics.log_loss(y_true, score))
    put("binary.precision", metrics.precision_score(y_true, y_pred))
    put("binary.recall", metrics.recall_score(y_true, y_pred))
    put("binary.f1", metrics.f1_score(y_true, y_pred))
    put("binary.accuracy", metrics.accuracy_score(y_true, y_pred))
    fpr, tpr, thr = metrics.roc_curve(y_true, score, drop_intermediate=False)
    put("binary.roc_fpr", fpr)
    put("binary.roc_tpr", tpr)

    # Regression, positive values (for MSLE).
    n = 250
    y_true = np.abs(rng.normal(3, 2, n))
    y_pred = np.abs(y_true + rng.normal(0, 1, n))
    put("reg.y_true", y_true)
    put("reg.y_pred", y_pred)
    put("reg.mae", metrics.mean_absolute_error(y_true, y_pred))
    put("reg.mse", metrics.mean_squared_error(y_true, y_pred))
    put("reg.msle", metrics.mean_squared_log_error(y_true, y_pred))
    put("reg.median_ae", metrics.median_absolute_error(y_true, y_pred))
    put("reg.r2", metrics.r2_score(y_true, y_pred))
    put("reg.explained_variance", metrics.explained_variance_score(y_true, y_pred))

    with open(os.path.join(OUT, "metrics.txt"), "w") as f:
        f.write("# written by tools/make_forest_fixtures.py from sklearn.metrics\n")
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
