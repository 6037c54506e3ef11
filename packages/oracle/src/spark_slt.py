"""Runs sqllogictest-style golden files (packages/engine/test/sql/*.slt) on Apache Spark itself.

Reads the files named on the command line; for each record prints one JSON line:
  {"file", "line", "kind": "statement"|"query", "types"?, "rows"?, "error"?}
Cells are formatted as the golden files print them (as Spark's show() prints them; (empty) for ''). Each file
runs in a fresh Spark session (its own temporary views), all on one local SparkContext, in UTC.
"""
import json
import sys

from pyspark.sql import functions as F
from pyspark.sql import types as T

from spark_common import error_of, local_spark


def parse_slt(text):
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip() == "" or line.startswith("#"):
            i += 1
            continue
        start = i + 1
        head = line.strip().split()
        i += 1
        body = []
        while i < len(lines) and lines[i].strip() != "" and lines[i] != "----":
            body.append(lines[i])
            i += 1
        if i < len(lines) and lines[i] == "----":
            i += 1
            while i < len(lines) and lines[i].strip() != "":
                i += 1
        yield {"line": start, "head": head, "sql": "\n".join(body)}


def type_letter(t):
    if isinstance(t, (T.ByteType, T.ShortType, T.IntegerType, T.LongType)):
        return "I"
    if isinstance(t, (T.FloatType, T.DoubleType, T.DecimalType)):
        return "R"
    if isinstance(t, T.BooleanType):
        return "B"
    return "T"


def shown_rows(df):
    """Each row's cells as show() prints them. Nested and binary columns are read back from show()'s
    own table (Spark's ToPrettyString: NULL inside arrays, maps and structs; binary as [01 FF]), split at
    the column boundaries of its border line; every other column is cast to a string exactly as show()
    does, which keeps trailing spaces that the padded table would lose. Columns are renamed by position
    first, so duplicate output names stay selectable."""
    n = len(df.columns)
    df = df.toDF(*["c%d" % i for i in range(n)])
    pretty = [isinstance(f.dataType, (T.ArrayType, T.MapType, T.StructType, T.BinaryType)) for f in df.schema.fields]
    plain = df.select([F.col("c%d" % i).cast("string") for i in range(n)]).collect()
    rows = [["NULL" if v is None else v for v in row] for row in plain]
    if any(pretty):
        lines = df._jdf.showString(1000000, 0, False).split("\n")
        bounds = [i for i, ch in enumerate(lines[0]) if ch == "+"]
        for r, line in enumerate(lines[3 : 3 + len(rows)]):
            for k in range(n):
                if pretty[k]:
                    rows[r][k] = line[bounds[k] + 1 : bounds[k + 1]].rstrip()
    return rows


def cell(v):
    return "(empty)" if v == "" else v


def main(paths):
    spark = local_spark()
    for path in paths:
        session = spark.newSession()
        name = path.split("/")[-1]
        with open(path, encoding="utf-8") as fh:
            records = list(parse_slt(fh.read()))
        for r in records:
            out = {"file": name, "line": r["line"], "kind": r["head"][0]}
            try:
                df = session.sql(r["sql"])
                if r["head"][0] == "query":
                    out["types"] = "".join(type_letter(f.dataType) for f in df.schema.fields)
                    rows = [" ".join(cell(v) for v in row) for row in shown_rows(df)]
                    if "rowsort" in r["head"]:
                        rows.sort()
                    out["rows"] = rows
                else:
                    df.collect()
            except Exception as e:  # noqa: BLE001 - every failure is a result to compare
                out["error"] = error_of(e)
            print(json.dumps(out), flush=True)
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
