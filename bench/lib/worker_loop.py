"""The line protocol of the bench's Python workers: one JSON object per line each way.

The worker writes a `ready` line (with what `ready` holds: versions), then answers each command line
`{"cmd": name, …}` with the JSON its handler returns; `quit` ends it. An exception becomes
`{"error": "Type: message"}`, which the bench reports and stops on.
"""
import json
import os
import sys


def serve(handlers, ready):
    out = sys.stdout
    out.write(json.dumps(dict(ready=True, **ready)) + "\n")
    out.flush()
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            c = json.loads(line)
            if c["cmd"] == "quit":
                break
            handler = handlers.get(c["cmd"])
            r = handler(c) if handler else {"error": "unknown command " + str(c.get("cmd"))}
        except Exception as e:  # reported to the bench, which stops
            r = {"error": "%s: %s" % (type(e).__name__, e)}
        out.write(json.dumps(r) + "\n")
        out.flush()


def read_csr_dir(d, rows, cols):
    """A CSR matrix the bench wrote as raw arrays: <d>/indptr.i32, indices.i32, data.f32."""
    import numpy as np
    import scipy.sparse as sp

    indptr = np.fromfile(os.path.join(d, "indptr.i32"), dtype=np.int32)
    indices = np.fromfile(os.path.join(d, "indices.i32"), dtype=np.int32)
    data = np.fromfile(os.path.join(d, "data.f32"), dtype=np.float32)
    return sp.csr_matrix((data, indices, indptr), shape=(rows, cols))
