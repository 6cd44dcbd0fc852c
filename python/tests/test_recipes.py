"""The Dask and Spark recipes, run for real with two worker processes: equal bit for bit to the
single-process batch."""

import os
import sys

import pandas as pd
import pytest

import growthcast as gc
from test_batch import logistic_table


def sorted_by_series(df):
    return df.sort_values("series").reset_index(drop=True)


def test_dask_local_cluster_equals_the_single_process_batch():
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("dask.distributed")
    from growthcast.recipes import dask_batch_fit

    df = logistic_table(n_series=200, seed=11)
    want = sorted_by_series(gc.batch_fit(df, "logistic"))
    table = dd.from_pandas(df, npartitions=4, sort=False)  # row chunks: series cut across partitions
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        got = sorted_by_series(dask_batch_fit(table, "logistic").compute())
    got["series"] = got["series"].astype(object)
    pd.testing.assert_frame_equal(got, want, check_exact=True, check_dtype=False)
    assert got.converged.all()


@pytest.mark.skipif(not os.environ.get("GROWTHCAST_SPARK"),
                    reason="pyspark is large (over 300 MB) and slow to start: set GROWTHCAST_SPARK=1")
def test_spark_local_mode_equals_the_single_process_batch():
    pyspark = pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession

    from growthcast.recipes import spark_batch_fit

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers import growthcast from here
    df = logistic_table(n_series=200, seed=13)
    want = sorted_by_series(gc.batch_fit(df, "logistic"))
    spark = (SparkSession.builder.master("local[2]").appName("growthcast-test")
             .config("spark.sql.shuffle.partitions", "4").getOrCreate())
    try:
        got = sorted_by_series(spark_batch_fit(spark.createDataFrame(df), "logistic").toPandas())
    finally:
        spark.stop()
    got["iterations"] = got["iterations"].astype(want["iterations"].dtype)
    pd.testing.assert_frame_equal(got, want, check_exact=True, check_dtype=False)
    assert pyspark.__version__
