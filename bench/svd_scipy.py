# scipy.sparse.linalg.svds (PROPACK and ARPACK) on the exact matrices of bench/svd.mjs, for a same-machine,
# same-matrix comparison:  node bench/run.mjs --only svd --dump /tmp/svd-data && python3 bench/svd_scipy.py /tmp/svd-data
# Reports the median of 5 runs (after a warm-up), the number of matrix-vector products (counted through a
# LinearOperator wrapper in a separate run) and the largest relative residual of the result.
import glob, json, os, sys, time
import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import svds, LinearOperator

d = sys.argv[1] if len(sys.argv) > 1 else '/tmp/svd-data'
tol = float(sys.argv[2]) if len(sys.argv) > 2 else 1e-10
for name in sorted(os.path.basename(p)[: -len('.shape.json')] for p in glob.glob(f'{d}/*.shape.json')):
    try:
        shape = tuple(json.load(open(f'{d}/{name}.shape.json')))
    except FileNotFoundError:
        continue
    r = np.fromfile(f'{d}/{name}.rows.i32', dtype=np.int32)
    c = np.fromfile(f'{d}/{name}.cols.i32', dtype=np.int32)
    v = np.fromfile(f'{d}/{name}.vals.f32', dtype=np.float32).astype(np.float64)
    A = sp.csr_matrix((v, (r, c)), shape=shape)
    for solver in (sys.argv[3].split(',') if len(sys.argv) > 3 else ['propack', 'arpack']):
        for k in [10, 20, 50]:
            kw = dict(k=k, solver=solver, tol=tol, random_state=0)
            try:
                svds(A, **kw)
            except Exception:
                # PROPACK's default Krylov limit (kmax = 10k) is too small for slowly decaying spectra.
                kw['maxiter'] = 2000
                svds(A, **kw)
            ts = []
            for _ in range(5):
                t0 = time.perf_counter(); u, s, vt = svds(A, **kw); ts.append(time.perf_counter() - t0)
            count = [0]
            def mv(x): count[0] += 1; return A @ x
            def rmv(x): count[0] += 1; return A.T @ x
            op = LinearOperator(A.shape, matvec=mv, rmatvec=rmv, matmat=lambda X: np.column_stack([mv(x) for x in X.T]), rmatmat=lambda X: np.column_stack([rmv(x) for x in X.T]), dtype=np.float64)
            try:
                svds(op, **kw)
            except Exception:
                count[0] = -1
            res = max(max(np.linalg.norm(A @ vt[i] - s[i] * u[:, i]), np.linalg.norm(A.T @ u[:, i] - s[i] * vt[i])) for i in range(k)) / s.max()
            print(f'{name:10s} {solver:8s} k={k:2d}{" maxiter=2000" if "maxiter" in kw else ""} {np.median(ts)*1000:8.1f} ms  matvecs {count[0]:5d}  max resid {res:.1e}  s1 {s.max():.4f}  s_k {s.min():.4f}', flush=True)
