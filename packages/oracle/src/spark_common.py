"""What the oracle's Spark scripts share: one local Spark session set up like Sluice's defaults, and
errors reported by Spark's error class."""
from pyspark.sql import SparkSession


def local_spark():
    spark = (
        SparkSession.builder.master("local[1]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "1")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def error_of(e):
    cls = getattr(e, "getCondition", None) or getattr(e, "getErrorClass", None)
    return {"errorClass": cls() if callable(cls) else None, "message": str(e).strip().split("\n")[0][:400]}
