"""The README's Spark snippet, as written, from a SparkSession the user made before importing
keicar and without PYSPARK_PYTHON set: the workers must get this interpreter, not `python3`
from the PATH (which need not have keicar or polars)."""

import os
import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("pyspark")

SNIPPET = textwrap.dedent("""
    import datetime as dt, sys
    from pyspark.sql import SparkSession
    spark = (SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false")
             .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
             .getOrCreate())
    from keicar.batch.sample import write_sample
    write_sample(sys.argv[1], rows=50, seed=3, bad_share=0.1, today=dt.date(2026, 11, 24))

    from keicar.spark import screen
    screened, rejects = screen(spark.read.parquet(sys.argv[1]), on="2026-11-24")
    print(screened.count() + rejects.count())
    spark.stop()
""")


def test_readme_snippet_runs_without_pyspark_python(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON")}
    r = subprocess.run([sys.executable, "-c", SNIPPET, str(tmp_path / "listings.parquet")], env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.split()[-1] == "50"
