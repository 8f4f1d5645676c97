# scipy.sparse.linalg.svds (PROPACK, ARPACK) as the same-run anchor of the SVD benchmark: bench/workloads/svd.mjs
# starts this script once, loads the benchmark's exact matrices into it, and alternates its own runs with
# timed svds calls over stdin/stdout (one JSON object per line each way), so both sides see the same machine
# state. scipy runs as a user calls it: float64, default tol (machine precision), random_state=0; the
# node side sets OPENBLAS_NUM_THREADS=1 (single-threaded like lowrank's 'wasm' backend).
#
# Requests → replies:
#   {"op": "load", "key": k, "prefix": p, "center": bool}  → {"ok": true}
#       reads p.rows.i32, p.cols.i32, p.vals.f32 (COO) and p.shape.json; center: a LinearOperator for
#       A − 1·μᵀ with μ the column means over all rows (PCA centering, lowrank's center: true)
#   {"op": "time", "key": k, "solver": s, "k": n}           → {"ms": wall time of one svds call}
#   {"op": "count", "key": k, "solver": s, "k": n}          → {"matvecs": products, "s": [σ desc],
#       "maxResidual": max_i max(‖A vᵢ − σᵢuᵢ‖, ‖Aᵀuᵢ − σᵢvᵢ‖)/σ₁, "kmax": raised Krylov limit or null}
#       (an untimed run through a LinearOperator that counts every A·x and Aᵀ·y)
#   {"op": "version"}                                       → {"scipy": version, "numpy": version}
# PROPACK's default Krylov limit (kmax = 10k) is too small for slowly decaying spectra; when svds fails with
# it, the call is repeated (and timed) with maxiter=2000 and the reply says so.
import json
import sys
import time

import numpy as np
import scipy
import scipy.sparse as sp
from scipy.sparse.linalg import LinearOperator, aslinearoperator, svds

mats = {}
kmax_raised = {}


def centered(A):
    m, n = A.shape
    mu = np.asarray(A.sum(axis=0)).ravel() / m
    At = A.T.tocsr()
    ones = np.ones(m)

    def mv(x):
        return A @ x - (mu @ x) * ones

    def rmv(y):
        return At @ y - y.sum() * mu

    def mm(X):
        return A @ X - np.outer(ones, mu @ X)

    def rmm(Y):
        return At @ Y - np.outer(mu, Y.sum(axis=0))

    return LinearOperator((m, n), matvec=mv, rmatvec=rmv, matmat=mm, rmatmat=rmm, dtype=np.float64)


def counting(op, count):
    def mv(x):
        count[0] += 1
        return op.matvec(x)

    def rmv(y):
        count[0] += 1
        return op.rmatvec(y)

    def mm(X):
        count[0] += X.shape[1]
        return op.matmat(X)

    def rmm(Y):
        count[0] += Y.shape[1]
        return op.rmatmat(Y)

    return LinearOperator(op.shape, matvec=mv, rmatvec=rmv, matmat=mm, rmatmat=rmm, dtype=np.float64)


def call(key, solver, k, op=None):
    kw = dict(k=k, solver=solver, random_state=0)
    if (key, solver, k) in kmax_raised:
        kw['maxiter'] = kmax_raised[(key, solver, k)]
    A = mats[key] if op is None else op
    try:
        return svds(A, **kw)
    except Exception:
        if solver != 'propack' or 'maxiter' in kw:
            raise
        kmax_raised[(key, solver, k)] = 2000
        return call(key, solver, k, op)


def handle(req):
    op = req['op']
    if op == 'version':
        return {'scipy': scipy.__version__, 'numpy': np.__version__}
    if op == 'load':
        p = req['prefix']
        shape = tuple(json.load(open(p + '.shape.json')))
        r = np.fromfile(p + '.rows.i32', dtype=np.int32)
        c = np.fromfile(p + '.cols.i32', dtype=np.int32)
        v = np.fromfile(p + '.vals.f32', dtype=np.float32).astype(np.float64)
        A = sp.csr_matrix((v, (r, c)), shape=shape)
        mats[req['key']] = centered(A) if req.get('center') else A
        return {'ok': True}
    key, solver, k = req['key'], req['solver'], req['k']
    if op == 'time':
        t0 = time.perf_counter()
        call(key, solver, k)
        return {'ms': (time.perf_counter() - t0) * 1000}
    if op == 'count':
        A = mats[key]
        base = A if isinstance(A, LinearOperator) else aslinearoperator(A)
        n = [0]
        u, s, vt = call(key, solver, k, counting(base, n))
        order = np.argsort(-s)
        u, s, vt = u[:, order], s[order], vt[order]
        r1 = np.linalg.norm(base.matmat(vt.T) - u * s, axis=0)
        r2 = np.linalg.norm(base.rmatmat(u) - vt.T * s, axis=0)
        return {'matvecs': n[0], 's': s.tolist(), 'maxResidual': float(np.max(np.maximum(r1, r2)) / s[0]), 'kmax': kmax_raised.get((key, solver, k))}
    raise ValueError(f'unknown op {op}')


for line in sys.stdin:
    if not line.strip():
        continue
    try:
        out = handle(json.loads(line))
    except Exception as e:  # reported to the node side, which prints it
        out = {'error': f'{type(e).__name__}: {e}'}
    sys.stdout.write(json.dumps(out) + '\n')
    sys.stdout.flush()
