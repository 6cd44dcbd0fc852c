"""Fitting at cluster scale on engines people already run: Dask and Apache Spark.

Both recipes hand each worker whole series (all rows of a series in one partition or group) and
call :func:`growthcast.batch_fit` there, so every series is fitted by the same code on the same
numbers as in one process: the results are equal bit for bit.

Dask::

    import dask.dataframe as dd
    from dask.distributed import Client, LocalCluster
    from growthcast.recipes import dask_batch_fit

    with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster):
        table = dd.read_parquet("series/*.parquet")          # series, ds (or time), y
        fits = dask_batch_fit(table, "logistic").compute()

Spark (``mapInArrow``: Arrow record batches in and out, no pandas round trip per row; the
executors' Python, ``PYSPARK_PYTHON``, must have growthcast installed)::

    from growthcast.recipes import spark_batch_fit
    fits = spark_batch_fit(spark.read.parquet("series/"), "logistic").toPandas()
"""

from __future__ import annotations

from typing import Any, Iterator

from .batch import batch_fit


def fits_schema(model: str = "logistic", **kwargs: Any) -> Any:
    """The empty frame of :func:`batch_fit`'s output for this model and options (Dask's
    ``meta``; its columns and dtypes make Spark's schema)."""
    import pandas as pd

    empty = pd.DataFrame({"series": pd.Series([], dtype=object), "time": [], "y": []})
    return batch_fit(empty, model, **kwargs)


def dask_batch_fit(table: Any, model: str = "logistic", by_series: bool = True, **kwargs: Any) -> Any:
    """Fits every series of a Dask DataFrame (``series``, ``ds`` or ``time``, ``y``) with
    ``map_partitions``: one :func:`batch_fit` per partition, on the workers.

    Every series must lie in one partition; ``by_series=True`` (the default) shuffles the
    table by ``series`` first to make sure of it. Pass ``False`` for a table already
    partitioned that way (read from files written per series group, say) to skip the shuffle.
    Keywords are :func:`batch_fit`'s (no ``project``).
    """
    if by_series:
        table = table.shuffle("series")
    meta = fits_schema(model, **kwargs)
    return table.map_partitions(batch_fit, model, meta=meta, **kwargs)


def _spark_schema(model: str, **kwargs: Any) -> str:
    """The Spark DDL schema of :func:`batch_fit`'s output."""
    meta = fits_schema(model, **kwargs)
    types = []
    for name, dtype in meta.dtypes.items():
        if name in ("series", "error"):
            t = "string"
        elif dtype.kind == "b":
            t = "boolean"
        elif dtype.kind in "iu":
            t = "long"
        else:
            t = "double"
        types.append(f"`{name}` {t}")
    return ", ".join(types)


def spark_batch_fit(table: Any, model: str = "logistic", **kwargs: Any) -> Any:
    """Fits every series of a Spark DataFrame (``series``, ``ds`` as a date or string, or
    ``time``, and ``y``) with ``mapInArrow``: the table is repartitioned by ``series`` so each
    series lies in one partition, and each partition's Arrow batches are fitted with one
    :func:`batch_fit` on the executor. Keywords are :func:`batch_fit`'s (no ``project``)."""
    schema = _spark_schema(model, **kwargs)

    def fit_partition(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        collected = list(batches)
        if not collected:
            return
        fits: Any = batch_fit(pa.Table.from_batches(collected), model, **kwargs)
        fits = fits.set_column(
            fits.schema.get_field_index("iterations"), "iterations", fits["iterations"].cast(pa.int64())
        )
        yield from fits.to_batches()

    return table.repartition("series").mapInArrow(fit_partition, schema)
