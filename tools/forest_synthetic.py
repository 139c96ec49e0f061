"""numpy mirror of include/visiondb/ml/forest/synthetic_data.hpp (same counter-based RNG, same
formulas), so that scikit-learn and ranger see the data the C++ tests and benchmarks see."""
import numpy as np

M64 = (1 << 64) - 1


def mix64(z):
    z = (z + np.uint64(0x9E3779B97F4A7C15))
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _mix64_int(z):
    z = (z + 0x9E3779B97F4A7C15) & M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def hash_(seed, stream, index):
    key = _mix64_int(seed ^ ((stream * 0xD1B54A32D192ED03) & M64))
    with np.errstate(over="ignore"):
        return mix64(np.uint64(key) + np.asarray(index, dtype=np.uint64))


def uniform(seed, stream, index):
    with np.errstate(over="ignore"):
        return (hash_(seed, stream, index) >> np.uint64(11)).astype(np.float64) * 2.0 ** -53


def normal(seed, stream, index):
    index = np.asarray(index, dtype=np.uint64)
    u1 = uniform(seed, stream, 2 * index)
    u2 = uniform(seed, stream, 2 * index + 1)
    return np.sqrt(-2.0 * np.log1p(-u1)) * np.cos(6.283185307179586 * u2)


def make_classification_like(rows, features, informative, redundant, classes, clusters_per_class=2,
                             class_sep=1.0, flip_y=0.01, seed=1):
    ni, nr, nf = informative, redundant, features
    nc = classes * clusters_per_class
    centroid = np.where(uniform(seed, 1, np.arange(nc * ni)) < 0.5, -class_sep, class_sep).reshape(nc, ni)
    a = (2.0 * uniform(seed, 2, np.arange(nc * ni * ni)) - 1.0).reshape(nc, ni, ni)
    b = (2.0 * uniform(seed, 3, np.arange(ni * nr)) - 1.0).reshape(ni, nr)
    i = np.arange(rows, dtype=np.uint64)
    k = (uniform(seed, 4, i) * nc).astype(np.int64)
    z = normal(seed, 5, np.arange(rows * ni, dtype=np.uint64)).reshape(rows, ni)
    x = np.zeros((rows, nf), dtype=np.float32)
    xi = centroid[k] + np.einsum("rj,rjc->rc", z, a[k])
    x[:, :ni] = xi
    x[:, ni:ni + nr] = xi @ b
    if nf > ni + nr:
        idx = (i[:, None] * np.uint64(nf) + np.arange(ni + nr, nf, dtype=np.uint64)[None, :])
        x[:, ni + nr:] = normal(seed, 6, idx)
    y = (k % classes).astype(np.int32)
    flip = uniform(seed, 7, i) < flip_y
    y[flip] = (uniform(seed, 8, i[flip]) * classes).astype(np.int32)
    return x, y


def make_embedding_like(rows, dims, classes, signal, active, seed):
    base = np.abs(normal(seed, 1, np.arange(dims))) * 0.5
    kk = np.arange(classes * dims, dtype=np.uint64)
    mean = np.where(uniform(seed, 2, kk) < active, signal * normal(seed, 3, kk), 0.0).reshape(classes, dims)
    i = np.arange(rows, dtype=np.uint64)
    y = (uniform(seed, 4, i) * classes).astype(np.int64)
    x = np.empty((rows, dims), dtype=np.float32)
    f = np.arange(dims, dtype=np.uint64)
    for r0 in range(0, rows, 4096):
        r1 = min(rows, r0 + 4096)
        idx = i[r0:r1, None] * np.uint64(dims) + f[None, :]
        v = base[None, :] + mean[y[r0:r1]] + normal(seed, 5, idx)
        x[r0:r1] = np.maximum(v, 0.0)
    return x, y.astype(np.int32)


def make_covertype_like(rows, seed=5):
    n_num, n_area, n_soil, n_lat, n_cls = 10, 4, 40, 4, 7
    load = normal(seed, 1, np.arange(n_lat * n_num)).reshape(n_lat, n_num)
    kk = np.arange(n_num)
    scale = 10.0 + 300.0 * uniform(seed, 2, kk)
    offset = 1000.0 * uniform(seed, 3, kk)
    soil_effect = (1.5 * normal(seed, 4, np.arange(n_soil * n_cls))).reshape(n_soil, n_cls)
    area_effect = normal(seed, 5, np.arange(n_area * n_cls)).reshape(n_area, n_cls)
    w = (2.0 * normal(seed, 6, np.arange(n_lat * n_cls))).reshape(n_lat, n_cls)
    cut = normal(seed, 7, np.arange(n_lat * n_cls)).reshape(n_lat, n_cls)
    prior = np.array([1.6, 1.9, 0.6, -1.2, -0.4, 0.0, 0.3])
    x = np.zeros((rows, n_num + n_area + n_soil), dtype=np.float32)
    y = np.empty(rows, dtype=np.int32)
    for r0 in range(0, rows, 65536):
        r1 = min(rows, r0 + 65536)
        i = np.arange(r0, r1, dtype=np.uint64)
        n = r1 - r0
        z = normal(seed, 8, (i[:, None] * np.uint64(n_lat) + np.arange(n_lat, dtype=np.uint64)[None, :]))
        noise = 0.4 * normal(seed, 9, (i[:, None] * np.uint64(n_num) + np.arange(n_num, dtype=np.uint64)[None, :]))
        v = noise + z @ load
        x[r0:r1, :n_num] = np.round(offset + scale * v)
        area = (uniform(seed, 10, i) * 0.5 * n_area + np.where(z[:, 1] > 0, 0.5 * n_area, 0.0)).astype(np.int64)
        soil_u = 0.5 * uniform(seed, 11, i) + 0.5 / (1.0 + np.exp(-1.5 * z[:, 0]))
        soil = np.minimum((soil_u * n_soil).astype(np.int64), n_soil - 1)
        x[np.arange(r0, r1), n_num + area] = 1.0
        x[np.arange(r0, r1), n_num + n_area + soil] = 1.0
        score = prior[None, :] + soil_effect[soil] + area_effect[area]
        for l in range(n_lat):
            score += np.where(z[:, l:l + 1] > cut[l][None, :], 1.0, -1.0) * w[l][None, :] * 0.5
            score += 0.3 * w[l][None, :] * z[:, l:l + 1]
        u = uniform(seed, 12, (i[:, None] * np.uint64(n_cls) + np.arange(n_cls, dtype=np.uint64)[None, :]))
        score += 0.4 * -np.log(-np.log(u + 1e-300) + 1e-300)
        y[r0:r1] = np.argmax(score, axis=1)
    return x, y


def make_friedman1_like(rows, features, noise, seed):
    i = np.arange(rows, dtype=np.uint64)
    idx = i[:, None] * np.uint64(features) + np.arange(features, dtype=np.uint64)[None, :]
    x = uniform(seed, 1, idx).astype(np.float32)
    xd = x.astype(np.float64)
    y = (10.0 * np.sin(3.141592653589793 * xd[:, 0] * xd[:, 1]) + 20.0 * (xd[:, 2] - 0.5) ** 2 + 10.0 * xd[:, 3]
         + 5.0 * xd[:, 4] + noise * normal(seed, 2, i))
    return x, y
