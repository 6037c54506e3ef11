"""Runs SQL on Apache Spark itself and prints each result as JSON values.

Reads a JSON file (first argument): [{"id": str, "setup": [sql, ...], "queries": [{"id": str, "sql": str}]}].
Each group runs in a fresh Spark session: its setup statements, then its queries. For every query one
JSON line: {"id", "rows": [[value, ...], ...]} or {"id", "error": {"errorClass", "message"}}. Decimals
become floats, dates and timestamps ISO strings.
"""
import datetime
import decimal
import json
import sys

from spark_common import error_of, local_spark



def plain(v):
    if isinstance(v, decimal.Decimal):
        return float(v)
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.isoformat()
    if isinstance(v, (bytes, bytearray)):
        return v.hex()
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    return v


def main(path):
    spark = local_spark()
    with open(path, encoding="utf-8") as fh:
        groups = json.load(fh)
    for group in groups:
        session = spark.newSession()
        for sql in group["setup"]:
            session.sql(sql).collect()
        for q in group["queries"]:
            try:
                rows = [plain(list(row)) for row in session.sql(q["sql"]).collect()]
                out = {"id": q["id"], "rows": rows}
            except Exception as e:  # noqa: BLE001 - every failure is a result to compare
                out = {"id": q["id"], "error": error_of(e)}
            print(json.dumps(out), flush=True)
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1])
