"""The engine's streaming goldens (packages/engine/test/streaming) run on Apache Spark itself.

Usage: spark_streaming_goldens.py <streaming root> [name ...]

Each golden's inputs are laid out as the Sluice golden runner lays them out (one JSON-lines file per
micro-batch, increasing modification times, a json file source with maxFilesPerTrigger=1 and an
availableNow trigger); the same query runs in Spark — the `.sql` query text itself, or for a `.ts`
query its PySpark twin below — and each batch's sink output is printed in the runner's golden format
(`{"batchId":N,"rows":[...]}`, rows as JSON objects in schema order, sorted as text unless the
query is ordered, timestamps as UTC ISO strings with milliseconds). One JSON line per query on stdout:
{"name", "status": "ran" | "error" | "no-twin", "golden": "<lines>", "error": {...}}.
"""

import json
import math
import os
import re
import shutil
import sys
import tempfile
from datetime import date, datetime
from decimal import Decimal

from pyspark.sql import functions as F

from spark_common import error_of, local_spark


# ---------------------------------------------------------------- PySpark twins of the .ts queries


def word_count(s):
    return (
        s["lines"]
        .select(F.explode(F.split(F.lower(F.col("line")), " ")).alias("word"))
        .where(F.col("word") != "")
        .groupBy("word")
        .agg(F.count("*").alias("n"))
    )


def windowed_counts_append(s):
    return s["clicks"].withWatermark("ts", "10 seconds").groupBy(F.window("ts", "10 seconds")).agg(F.count("*").alias("n"))


def windowed_counts_update_watermark(s):
    return (
        s["clicks"]
        .withWatermark("ts", "10 seconds")
        .groupBy(F.window("ts", "10 seconds"), F.col("user"))
        .agg(F.count("*").alias("n"))
    )


def chained_window_append(s):
    return (
        s["clicks"]
        .withWatermark("ts", "10 seconds")
        .groupBy(F.window("ts", "10 seconds"), F.col("user"))
        .agg(F.count("*").alias("n"))
        .groupBy(F.window(F.window_time(F.col("window")), "1 minute"))
        .agg(F.sum("n").alias("clicks"), F.count("*").alias("user_windows"))
    )


def dedup_no_watermark(s):
    return s["clicks"].dropDuplicates(["user"])


def dedup_then_count_update(s):
    return s["clicks"].dropDuplicates(["user", "ts"]).groupBy("user").agg(F.count("*").alias("n"))


def dedup_watermark(s):
    return s["clicks"].withWatermark("ts", "10 seconds").dropDuplicates(["user", "ts"])


def dedup_within_watermark(s):
    return s["clicks"].withWatermark("ts", "10 seconds").dropDuplicatesWithinWatermark(["user"])


def session_window_append(s):
    return (
        s["sessions"]
        .withWatermark("ts", "10 seconds")
        .groupBy(F.session_window("ts", "10 seconds"), F.col("user"))
        .agg(F.count("*").alias("n"), F.max("ts").alias("last"))
    )


def session_window_complete(s):
    return s["sessions"].groupBy(F.session_window("ts", "10 seconds"), F.col("user")).agg(F.count("*").alias("n"))


def session_window_dynamic_gap(s):
    return (
        s["sessions"]
        .withWatermark("ts", "10 seconds")
        .groupBy(F.col("user"), F.session_window("ts", F.col("gap")))
        .agg(F.count("*").alias("n"))
    )


def _attribution_join(s, how):
    impressions = s["impressions"].withWatermark("ts_impr", "10 seconds")
    clicks = s["ad_clicks"].withWatermark("ts_click", "20 seconds")
    return impressions.join(
        clicks,
        F.expr(
            "adid_click = adid_impr AND ts_click >= ts_impr AND ts_click <= ts_impr + interval 1 minute"
            " AND adid_impr <> 4"
        ),
        how,
    )


def join_inner_time_range(s):
    return _attribution_join(s, "inner")


def join_left_outer(s):
    return _attribution_join(s, "leftOuter")


def join_right_outer(s):
    return _attribution_join(s, "rightOuter")


def join_full_outer(s):
    return _attribution_join(s, "fullOuter")


def join_left_semi(s):
    return _attribution_join(s, "leftSemi")


TWINS = {f.__name__: f for f in [
    word_count,
    windowed_counts_append,
    windowed_counts_update_watermark,
    chained_window_append,
    dedup_no_watermark,
    dedup_then_count_update,
    dedup_watermark,
    dedup_within_watermark,
    session_window_append,
    session_window_complete,
    session_window_dynamic_gap,
    join_inner_time_range,
    join_left_outer,
    join_right_outer,
    join_full_outer,
    join_left_semi,
]}

# The sources of the .ts queries (their `sources` export), by alias.
TS_SOURCES = {
    "clicks": ("clicks.jsonl", "user STRING, ts TIMESTAMP"),
    "impressions": ("impressions.jsonl", "adid_impr BIGINT, ts_impr TIMESTAMP"),
    "ad_clicks": ("ad_clicks.jsonl", "adid_click BIGINT, ts_click TIMESTAMP"),
    "lines": ("lines.jsonl", "line STRING"),
    "sessions": ("sessions.jsonl", "user STRING, ts TIMESTAMP, gap STRING"),
}


# ---------------------------------------------------------------- specs, as golden-runner.ts reads them


def parse_source(rest):
    m = re.match(r"^(\w+)\s+(\S+)\s+(.+)$", rest.strip())
    return {"alias": m.group(1), "file": m.group(2), "schema": re.sub(r"^'(.*)'$", r"\1", m.group(3).strip())}


def load_spec(root, name):
    sql_file = os.path.join(root, "queries", name + ".sql")
    if os.path.exists(sql_file):
        spec = {"name": name, "outputMode": "append", "ordered": False, "sources": [], "statics": [], "fail": None}
        body = []
        for line in open(sql_file, encoding="utf-8").read().split("\n"):
            t = line.strip()
            if re.match(r"^--fail=", t):
                spec["fail"] = t[len("--fail="):].strip()
            elif re.match(r"^--\s*source:", t):
                spec["sources"].append(parse_source(re.sub(r"^--\s*source:", "", t)))
            elif re.match(r"^--\s*static:", t):
                spec["statics"].append(parse_source(re.sub(r"^--\s*static:", "", t)))
            elif re.match(r"^--\s*outputMode:", t):
                spec["outputMode"] = re.sub(r"^--\s*outputMode:", "", t).strip().split()[0]
            elif re.match(r"^--\s*ordered\b", t):
                spec["ordered"] = True
            elif not t.startswith("--"):
                body.append(line)
        spec["sql"] = "\n".join(body).strip()
        return spec
    ts_file = os.path.join(root, "queries", name + ".ts")
    text = open(ts_file, encoding="utf-8").read()
    mode = re.search(r"export const outputMode = '(\w+)'", text)
    aliases = re.findall(r"alias: '(\w+)'", text)
    return {
        "name": name,
        "outputMode": mode.group(1) if mode else "append",
        "ordered": "export const ordered = true" in text,
        "sources": [{"alias": a, "file": TS_SOURCES[a][0], "schema": TS_SOURCES[a][1]} for a in aliases if a in TS_SOURCES],
        "statics": [],
        "fail": None,
        "twin": TWINS.get(name),
    }


def read_batches(root, file):
    with open(os.path.join(root, "inputs", file), encoding="utf-8") as f:
        return [json.loads(l) for l in f.read().split("\n") if l.strip()]


# ---------------------------------------------------------------- output in the runner's format


def js_number(v):
    # JSON.stringify prints integral doubles without a fraction and NaN/Infinity as null.
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            return None
        if v.is_integer() and abs(v) < 1e21:
            return int(v)
    return v


def to_json_value(v):
    if v is None:
        return None
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%dT%H:%M:%S.") + f"{v.microsecond // 1000:03d}Z"
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, Decimal):
        return js_number(float(v))
    if hasattr(v, "asDict"):
        return {k: to_json_value(x) for k, x in v.asDict().items()}
    if isinstance(v, list):
        return [to_json_value(x) for x in v]
    if isinstance(v, dict):
        return {str(k): to_json_value(x) for k, x in v.items()}
    return js_number(v)


def row_line(row):
    return json.dumps({k: to_json_value(v) for k, v in row.asDict().items()}, separators=(",", ":"), ensure_ascii=False)


def utf16_key(s):
    # JavaScript sorts strings by UTF-16 code units.
    return s.encode("utf-16-be")


def run(spark, root, spec):
    work = tempfile.mkdtemp(prefix="sluice-oracle-golden-")
    try:
        streams = {}
        for src in spec["sources"]:
            d = os.path.join(work, "in", src["alias"])
            os.makedirs(d)
            for i, rows in enumerate(read_batches(root, src["file"])):
                p = os.path.join(d, f"batch-{i:04d}.json")
                with open(p, "w", encoding="utf-8") as f:
                    f.write("".join(json.dumps(r) + "\n" for r in rows))
                os.utime(p, (1_700_000_000 + i, 1_700_000_000 + i))
            df = spark.readStream.schema(src["schema"]).option("maxFilesPerTrigger", 1).json(d)
            df.createOrReplaceTempView(src["alias"])
            streams[src["alias"]] = df
        for st in spec["statics"]:
            p = os.path.join(work, "static-" + st["alias"] + ".json")
            with open(p, "w", encoding="utf-8") as f:
                f.write("".join(json.dumps(r) + "\n" for b in read_batches(root, st["file"]) for r in b))
            spark.read.schema(st["schema"]).json(p).createOrReplaceTempView(st["alias"])
        df = spark.sql(spec["sql"]) if "sql" in spec else spec["twin"](streams)
        out = {}

        def each(batch, batch_id):
            lines = [row_line(r) for r in batch.collect()]
            if not spec["ordered"]:
                lines.sort(key=utf16_key)
            out[batch_id] = lines

        q = (
            df.writeStream.outputMode(spec["outputMode"])
            .trigger(availableNow=True)
            .option("checkpointLocation", os.path.join(work, "checkpoint"))
            .foreachBatch(each)
            .start()
        )
        q.awaitTermination()
        golden = "".join(
            '{"batchId":%d,"rows":[%s]}\n' % (b, ",".join(out[b])) for b in sorted(out)
        )
        return {"name": spec["name"], "status": "ran", "golden": golden}
    except Exception as e:  # noqa: BLE001 - every Spark failure is an outcome to report
        return {"name": spec["name"], "status": "error", "error": error_of(e)}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    root = sys.argv[1]
    names = sys.argv[2:] or sorted(
        re.sub(r"\.(sql|ts)$", "", f) for f in os.listdir(os.path.join(root, "queries")) if re.search(r"\.(sql|ts)$", f)
    )
    spark = local_spark()
    spark.conf.set("spark.sql.jsonGenerator.ignoreNullFields", "false")
    for name in names:
        spec = load_spec(root, name)
        if "sql" not in spec and spec.get("twin") is None:
            print(json.dumps({"name": name, "status": "no-twin"}), flush=True)
            continue
        print(json.dumps(run(spark, root, spec)), flush=True)


if __name__ == "__main__":
    main()
