"""One BLAS thread per process: called once where a BizPilot process starts (the app's lifespan,
so `bizpilot serve`, `make run` and any uvicorn worker; and `bizpilot worker`)."""

from __future__ import annotations

BLAS_THREADS = 1


def limit_blas_threads(count: int = BLAS_THREADS) -> None:
    """Limit the BLAS libraries numpy and scipy load (two OpenBLAS builds) to `count` threads.

    Forecasts, the churn model and the simulator fit small statsmodels and scikit-learn models
    (matrices of tens to hundreds of rows) in worker threads. OpenBLAS defaults to one thread per
    core and its threads spin while they wait, so on a small machine they mostly fight each other
    and the request threads. Measured on 2 busy cores (load average 5-8 from other work), each
    setting timed in alternation on the same inputs, default (2 threads) vs 1 thread:

    - `engine.forecast` on benchmarks/forecasting.py's 200 monthly series: p50 607 ms vs 83 ms
      (125 s vs 17 s in all); with a second process running the same loop at the same time,
      p50 1094 ms vs 235 ms (241 s vs 47 s); with that second process on 1 thread as well,
      p50 748 ms vs 172 ms (60 series);
    - one cold `forecast_metric` request (backtest and fits): monthly revenue 1668 ms vs 109 ms,
      daily revenue 654 ms vs 123 ms; with the second process, 1705 vs 246 and 703 vs 255 ms.

    scipy's OpenBLAS is a separate library that only loads with scipy.linalg, so both are
    imported here first: threadpoolctl limits the libraries loaded when it is called.
    """
    import numpy  # noqa: F401
    import scipy.linalg  # noqa: F401
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=count, user_api="blas")
