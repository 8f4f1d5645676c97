"""Quality anchor: implicit 0.7.3's AlternatingLeastSquares() with its defaults on implicit's own
train_test_split, and the exact split exported for lowrank (bench/quality/run.mjs evaluates it).

  PYTHONPATH=<implicit build>/src OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/quality/implicit_split.py \
      --data ../shared/data --out build/quality --seeds 42,1,2,3,4

Writes <out>/<set>.<seed>.{train,test}.csr (int32 rows, cols, nnz; int32 indptr[rows+1], int32
indices[nnz], float32 data[nnz]; little-endian) and <out>/implicit.json with implicit's precision@10,
ndcg@10 and fit time per (set, seed).
"""
import argparse, json, os, sys, time
import numpy as np
import scipy.sparse as sp


def load_ml100k(root):
    a = np.loadtxt(os.path.join(root, 'ml-100k', 'u.data'), dtype=np.int64)
    return a[:, 0], a[:, 1], a[:, 2].astype(np.float32)


def load_lastfm(root):
    a = np.loadtxt(os.path.join(root, 'lastfm-2k', 'user_artists.dat'), dtype=np.int64, skiprows=1)
    return a[:, 0], a[:, 1], a[:, 2].astype(np.float32)


def load_lists(path):
    """One user per line, `user item item …` (the LightGCN layout of gowalla.txt): binary pairs."""
    us, its = [], []
    with open(path) as f:
        for line in f:
            t = line.split()
            if len(t) < 2:
                continue
            us.extend([int(t[0])] * (len(t) - 1))
            its.extend(int(x) for x in t[1:])
    u = np.array(us, np.int64)
    i = np.array(its, np.int64)
    return u, i, np.ones(len(u), np.float32)


def matrix(u, i, v):
    # Compact ids in order of first appearance, as lowrank's readInteractions assigns them.
    _, ui = np.unique(u, return_index=True)
    _, ii = np.unique(i, return_index=True)
    umap = {x: n for n, x in enumerate(u[np.sort(ui)])}
    imap = {x: n for n, x in enumerate(i[np.sort(ii)])}
    r = np.fromiter((umap[x] for x in u), np.int32, len(u))
    c = np.fromiter((imap[x] for x in i), np.int32, len(i))
    return sp.csr_matrix((v, (r, c)), shape=(len(umap), len(imap)), dtype=np.float32)


def synthetic(path):
    """A .csr file written by bench/quality/standin.mjs (a generated stand-in set)."""
    return read_csr(path)


def read_csr(path):
    with open(path, 'rb') as f:
        rows, cols, nnz = np.frombuffer(f.read(12), '<i4')
        indptr = np.frombuffer(f.read(4 * (rows + 1)), '<i4')
        indices = np.frombuffer(f.read(4 * nnz), '<i4')
        data = np.frombuffer(f.read(4 * nnz), '<f4')
    return sp.csr_matrix((data, indices, indptr), shape=(rows, cols))


def write_csr(path, m):
    m = sp.csr_matrix(m)
    m.sort_indices()
    with open(path, 'wb') as f:
        f.write(np.array([m.shape[0], m.shape[1], m.nnz], '<i4').tobytes())
        f.write(m.indptr.astype('<i4').tobytes())
        f.write(m.indices.astype('<i4').tobytes())
        f.write(m.data.astype('<f4').tobytes())


def sets(root, extra):
    out = {}
    if os.path.exists(os.path.join(root, 'ml-100k', 'u.data')):
        m = matrix(*load_ml100k(root))
        out['ml100k'] = m
        b = m.copy(); b.data[:] = 1
        out['ml100k-binary'] = b
    if os.path.exists(os.path.join(root, 'lastfm-2k', 'user_artists.dat')):
        m = matrix(*load_lastfm(root))
        out['lastfm'] = m
        b = m.copy(); b.data[:] = 1
        out['lastfm-binary'] = b
    gowalla = os.path.join(root, 'gowalla-lists', 'gowalla.txt')
    if os.path.exists(gowalla):
        out['gowalla'] = matrix(*load_lists(gowalla))
    for p in extra:
        out[os.path.basename(p).removesuffix('.csr')] = read_csr(p)
    return out


def sample_test_users(test, n, seed):
    """The test part restricted to a seeded sample of n of its users (all when n is 0 or enough)."""
    users = np.flatnonzero(np.diff(test.indptr))
    if n <= 0 or len(users) <= n:
        return test
    keep = np.zeros(test.shape[0], bool)
    keep[np.random.RandomState(seed + 1000).choice(users, n, replace=False)] = True
    t = test.tocoo()
    mask = keep[t.row]
    return sp.csr_matrix((t.data[mask], (t.row[mask], t.col[mask])), shape=test.shape, dtype=test.dtype)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', default='../shared/data')
    ap.add_argument('--out', default='build/quality')
    ap.add_argument('--seeds', default='42')
    ap.add_argument('--only', default='')
    ap.add_argument('--extra', default='', help='comma-separated .csr files of extra (generated) sets')
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--max-test-users', type=int, default=0,
                    help='score only a seeded sample of this many test users (large generated sets); 0: all')
    a = ap.parse_args()
    from implicit.als import AlternatingLeastSquares
    from implicit.evaluation import train_test_split, precision_at_k, ndcg_at_k
    import implicit
    os.makedirs(a.out, exist_ok=True)
    res_path = os.path.join(a.out, 'implicit.json')
    results = json.load(open(res_path)) if os.path.exists(res_path) else {}
    only = [s for s in a.only.split(',') if s]
    for name, m in sets(a.data, [p for p in a.extra.split(',') if p]).items():
        if only and name not in only:
            continue
        for seed in [int(s) for s in a.seeds.split(',')]:
            train, test = train_test_split(m, 0.8, random_state=seed)
            test = sample_test_users(test, a.max_test_users, seed)
            write_csr(os.path.join(a.out, f'{name}.{seed}.train.csr'), train)
            write_csr(os.path.join(a.out, f'{name}.{seed}.test.csr'), test)
            # implicit's defaults, as a user runs them; random_state only fixes the initial factors.
            model = AlternatingLeastSquares(num_threads=a.threads, random_state=seed)
            t0 = time.perf_counter()
            model.fit(train, show_progress=False)
            secs = time.perf_counter() - t0
            p = precision_at_k(model, train, test, K=10, show_progress=False, num_threads=a.threads)
            n = ndcg_at_k(model, train, test, K=10, show_progress=False, num_threads=a.threads)
            results[f'{name}.{seed}'] = {'precision@10': p, 'ndcg@10': n, 'fitSeconds': secs, 'shape': list(m.shape), 'nnz': int(m.nnz)}
            print(f'{name:16s} seed {seed:3d}  implicit precision@10 {p:.4f}  ndcg@10 {n:.4f}  fit {secs:.1f} s', flush=True)
    json.dump({**results, '_implicit': implicit.__version__}, open(res_path, 'w'), indent=1)


if __name__ == '__main__':
    main()
