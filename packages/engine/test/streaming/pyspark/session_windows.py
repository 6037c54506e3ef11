"""Expected output of the session-window goldens, computed by Apache Spark itself.

Run with pyspark 4.0.1 (Java 17, local mode) from packages/engine:
    python test/streaming/pyspark/session_windows.py
It lays `test/streaming/inputs/sessions.jsonl` out exactly as the Sluice golden runner does (one
file per line, increasing modification times, a json file source with maxFilesPerTrigger=1 and an
availableNow trigger), runs each query in a fresh checkpoint and writes
`test/streaming/golden/<name>.jsonl` in the runner's format (one line per batch, rows as sorted JSON
lines, timestamps in UTC with milliseconds). It prints each query's session-window progress entry.
"""

import json
import os
import shutil
import sys
import tempfile

import pyspark
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SCHEMA = "user STRING, ts TIMESTAMP, gap STRING"


def static_gap(df):
    return (
        df.withWatermark("ts", "10 seconds")
        .groupBy(F.session_window("ts", "10 seconds"), "user")
        .agg(F.count("*").alias("n"), F.max("ts").alias("last"))
    )


def dynamic_gap(df):
    return (
        df.withWatermark("ts", "10 seconds")
        .groupBy("user", F.session_window("ts", F.col("gap")))
        .agg(F.count("*").alias("n"))
    )


def complete_mode(df):
    return df.groupBy(F.session_window("ts", "10 seconds"), "user").agg(F.count("*").alias("n"))


QUERIES = {
    "session_window_append": ("append", static_gap),
    "session_window_dynamic_gap": ("append", dynamic_gap),
    "session_window_complete": ("complete", complete_mode),
}


def to_json(v):
    if hasattr(v, "isoformat") and hasattr(v, "hour"):
        return v.strftime("%Y-%m-%dT%H:%M:%S.") + f"{v.microsecond // 1000:03d}Z"
    if hasattr(v, "asDict"):
        return {k: to_json(x) for k, x in v.asDict().items()}
    return v


def lay_out(work):
    src = os.path.join(work, "in")
    os.makedirs(src)
    with open(os.path.join(ROOT, "inputs", "sessions.jsonl")) as f:
        batches = [json.loads(line) for line in f if line.strip()]
    for i, rows in enumerate(batches):
        p = os.path.join(src, f"batch-{i:04d}.json")
        with open(p, "w") as out:
            out.write("".join(json.dumps(r) + "\n" for r in rows))
        os.utime(p, (1_700_000_000 + i, 1_700_000_000 + i))
    return src


def main():
    spark = (
        SparkSession.builder.master("local[1]")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    names = sys.argv[1:] or list(QUERIES)
    for name in names:
        mode, build = QUERIES[name]
        work = tempfile.mkdtemp(prefix=f"spark-golden-{name}-")
        lines = {}
        try:
            df = spark.readStream.format("json").schema(SCHEMA).option("maxFilesPerTrigger", 1).load(lay_out(work))

            def write(batch, batch_id):
                rows = [json.dumps({k: to_json(v) for k, v in r.asDict().items()}, separators=(",", ":")) for r in batch.collect()]
                lines[batch_id] = json.dumps(
                    {"batchId": batch_id, "rows": [json.loads(x) for x in sorted(rows)]}, separators=(",", ":")
                )

            q = (
                build(df)
                .writeStream.outputMode(mode)
                .trigger(availableNow=True)
                .option("checkpointLocation", os.path.join(work, "checkpoint"))
                .foreachBatch(write)
                .start()
            )
            q.awaitTermination()
            for p in q.recentProgress:
                ops = p["stateOperators"]
                print("\n" + name, p["batchId"], [(o["operatorName"], o["numRowsTotal"], o["numRowsDroppedByWatermark"], o["numRowsUpdated"], o["numRowsRemoved"]) for o in ops])
            with open(os.path.join(ROOT, "golden", f"{name}.jsonl"), "w") as out:
                out.write("".join(lines[i] + "\n" for i in sorted(lines)))
            print(name, "written with Spark", pyspark.__version__)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    spark.stop()


if __name__ == "__main__":
    main()
