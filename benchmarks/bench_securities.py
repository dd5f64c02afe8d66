"""What loading the securities universe costs one process: time and memory, and the formats.

    python benchmarks/bench_securities.py [--runs 7]

Each measurement runs in a fresh interpreter, so imports and caches start cold:

* load: `import tracker.extract.securities` and `load_securities()` (curated list, universe.csv,
  instruments.csv), wall time; the process's RSS growth over a bare interpreter that
  imported the same modules' dependencies; and tracemalloc's peak for the load alone
  (tracemalloc slows the code it traces, so the time comes from separate runs).
* lookups: 10,000 `by_key` and `by_name` calls after the load.
* formats: parse the same rows from plain CSV, gzip'd CSV and SQLite, to show why the
  packaged file is plain CSV.

Prints medians over --runs; nothing is asserted (tests check behaviour, not speed).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_LOAD = r"""
import json, resource, sys, time
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize()
import csv, io, re, unicodedata, dataclasses, functools, importlib.resources
import tracker.errors
before = rss()
t0, c0 = time.perf_counter(), time.process_time()
from tracker.extract.securities import load_securities
secs = load_securities()
secs.lookup("TSLA")
t1, c1 = time.perf_counter(), time.process_time()
after = rss()
keys = ["600036.SS", "SH600036", "00700.HK", "2330.TW", "7203.T", "BRK.B", "BTC.X", "GME"]
names = ["紫金矿业", "Tesla", "腾讯", "TENCENT", "比特币"]
t = time.perf_counter()
secs.by_name("紫金矿业")  # the first call indexes every listed name
first_name = time.perf_counter() - t
t2 = time.perf_counter()
for i in range(10_000):
    secs.by_key(keys[i % len(keys)])
t3 = time.perf_counter()
for i in range(10_000):
    secs.by_name(names[i % len(names)])
t4 = time.perf_counter()
print(json.dumps({"load_s": t1 - t0, "load_cpu_s": c1 - c0, "rss_mb": (after - before) / 1e6,
                  "total_rss_mb": after / 1e6, "by_key_us": (t3 - t2) / 10_000 * 1e6,
                  "by_name_us": (t4 - t3) / 10_000 * 1e6, "first_by_name_s": first_name,
                  "name_index_rss_mb": (rss() - after) / 1e6, "n_all": sum(1 for _ in secs.all())}))
"""

_TRACE = r"""
import json, tracemalloc
import tracker.errors
tracemalloc.start()
from tracker.extract.securities import load_securities
secs = load_securities()
secs.lookup("TSLA")
print(json.dumps({"traced_peak_mb": tracemalloc.get_traced_memory()[1] / 1e6}))
"""

_FORMATS = r"""
import csv, gzip, io, json, sqlite3, sys, time
from importlib import resources
folder = sys.argv[1]
text = resources.files("tracker.data").joinpath("universe.csv").read_text("utf-8")
rows = list(csv.reader(io.StringIO(text)))
with open(folder + "/u.csv.gz", "wb") as f:
    f.write(gzip.compress(text.encode(), mtime=0))
con = sqlite3.connect(folder + "/u.sqlite")
con.execute("create table if not exists u (%s)" % ",".join(rows[0]))
con.execute("delete from u")
con.executemany("insert into u values (?,?,?,?,?,?)", rows[1:])
con.commit(); con.close()
out = {}
t = time.perf_counter(); list(csv.reader(io.StringIO(
    resources.files("tracker.data").joinpath("universe.csv").read_text("utf-8"))))
out["csv_s"] = time.perf_counter() - t
t = time.perf_counter(); list(csv.reader(io.StringIO(
    gzip.decompress(open(folder + "/u.csv.gz", "rb").read()).decode())))
out["csv_gz_s"] = time.perf_counter() - t
t = time.perf_counter(); c = sqlite3.connect(folder + "/u.sqlite")
c.execute("select * from u").fetchall(); c.close()
out["sqlite_all_s"] = time.perf_counter() - t
import os
out["csv_bytes"] = len(text.encode())
out["csv_gz_bytes"] = os.path.getsize(folder + "/u.csv.gz")
out["sqlite_bytes"] = os.path.getsize(folder + "/u.sqlite")
print(json.dumps(out))
"""


def _run(code: str, *args: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          check=True, cwd=ROOT)
    return json.loads(done.stdout)


def _median(runs: list[dict[str, float]]) -> dict[str, float]:
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    load = _median([_run(_LOAD) for _ in range(args.runs)])
    trace = _median([_run(_TRACE) for _ in range(max(1, args.runs // 2))])
    with tempfile.TemporaryDirectory() as folder:
        formats = _median([_run(_FORMATS, folder) for _ in range(args.runs)])
    print(f"load_securities() in a fresh process, median of {args.runs}:")
    print(f"  time {load['load_s']:.3f} s wall, {load['load_cpu_s']:.3f} s CPU "
          "(import of tracker.extract.securities included)")
    print(f"  RSS growth {load['rss_mb']:.1f} MB (process total {load['total_rss_mb']:.1f} MB)")
    print(f"  tracemalloc peak during the load {trace['traced_peak_mb']:.1f} MB")
    print(f"  securities in all(): {int(load['n_all'])}")
    print(f"  first by_name (indexes every name) {load['first_by_name_s']:.3f} s, "
          f"then by_key {load['by_key_us']:.1f} us/call, "
          f"by_name {load['by_name_us']:.1f} us/call; "
          f"RSS after both {load['rss_mb'] + load['name_index_rss_mb']:.1f} MB "
          "over the bare process")
    print("parse the universe's rows, by format:")
    for fmt in ("csv", "csv_gz"):
        print(f"  {fmt:7} {formats[fmt + '_s']:.3f} s, {int(formats[fmt + '_bytes'])} bytes")
    print(f"  sqlite  {formats['sqlite_all_s']:.3f} s (select *), "
          f"{int(formats['sqlite_bytes'])} bytes")


if __name__ == "__main__":
    main()
