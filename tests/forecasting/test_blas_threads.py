"""core.threads: the BLAS libraries numpy and scipy load run one thread after the call."""

from __future__ import annotations

import scipy.linalg  # noqa: F401  (loads scipy's own OpenBLAS before the limits are recorded)
from threadpoolctl import threadpool_info, threadpool_limits

from core.threads import limit_blas_threads


def test_limit_blas_threads_sets_every_blas_library_to_one_thread() -> None:
    with threadpool_limits(limits=None):  # puts this process's thread counts back afterwards
        limit_blas_threads()
        blas = [lib for lib in threadpool_info() if lib["user_api"] == "blas"]
        assert blas, "numpy and scipy load at least one BLAS library"
        assert {lib["num_threads"] for lib in blas} == {1}
