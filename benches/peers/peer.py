"""Run one peer's lead pipeline over a lake and print how many leads it found.

    peer.py duckdb|chdb LAKE_DIR RANGES_CSV AS_OF

LAKE_DIR holds date=YYYY-MM-DD/*.parquet; RANGES_CSV is prepare_ranges.py's
output; AS_OF is an instant (2027-01-01 00:00:00): only events before it
count. Prints `rows N` and the first leads on stdout. Each run is its own
process, so the driver's wall time and peak RSS cover loading the engine,
the ranges and the query.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def sql_text(name, lake, ranges, as_of):
    with open(os.path.join(HERE, name)) as f:
        text = f.read()
    # plain replacement: the SQL has braces of its own
    for key, value in (("{lake}", lake), ("{ranges}", ranges), ("{as_of}", as_of)):
        if "'" in value:
            sys.exit(f"peer.py: a quote in {value!r}")
        text = text.replace(key, value)
    return text


def run_duckdb(lake, ranges, as_of):
    import duckdb

    con = duckdb.connect()
    glob = os.path.join(lake, "*", "*.parquet")
    rows = con.execute(sql_text("duckdb_leads.sql", glob, ranges, as_of)).fetchall()
    return rows


def run_chdb(lake, ranges, as_of):
    from chdb import session

    s = session.Session()
    try:
        glob = os.path.join(lake, "*", "*.parquet")
        statements = [q.strip() for q in sql_text("chdb_leads.sql", glob, ranges, as_of).split(";")]
        statements = [q for q in statements if q and not all(
            line.strip().startswith("--") or not line.strip() for line in q.splitlines())]
        for q in statements[:-1]:
            s.query(q)
        out = s.query(statements[-1], "TabSeparated")
        return [line.split("\t") for line in out.data().splitlines()]
    finally:
        s.close()


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ("duckdb", "chdb"):
        sys.exit(__doc__)
    engine, lake, ranges, as_of = sys.argv[1:]
    rows = (run_duckdb if engine == "duckdb" else run_chdb)(lake, ranges, as_of)
    for row in rows[:3]:
        print("\t".join(str(v) for v in row[:3]))
    print(f"rows {len(rows)}")


if __name__ == "__main__":
    main()
