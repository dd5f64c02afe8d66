"""One BLAS thread per test process: imported by conftest.py before anything loads numpy.

The xdist workers already take one core each. On a busy machine OpenBLAS's own threads spin
waiting for each other: a small training fit (1,800 rows) took 4 s of CPU instead of 0.04 s,
and the slow training tests 35 s each instead of 6 s. OpenBLAS reads these variables once,
when numpy loads it; the commands the tests start inherit them.
"""

from __future__ import annotations

import os
import sys

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

if "numpy" in sys.modules:  # loaded before us (a plugin): too late for the variables
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
