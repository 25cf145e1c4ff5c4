"""The peers benchmark: leadlake's lead pipeline beside DuckDB, chDB and the floor.

Started by run.sh, which installs the peers and finds the leadlake binary;
see README.md. For each lake size: generate the lake once into the cache,
export its address data for the peers once, then run every contender as
its own process, round after round, measuring wall time, CPU time and
peak RSS, and write the medians and ratios to BENCHMARKS.md.
"""

import argparse
import csv
import datetime
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SECTION = "## Peers: the whole lead pipeline"


def log(msg):
    print(f"peers: {msg}", file=sys.stderr, flush=True)


def count(text):
    """1000000, 1M, 10m, 1_000_000 -> int."""
    m = re.fullmatch(r"(\d[\d_,]*)([kKmM]?)", text.strip())
    if not m:
        raise argparse.ArgumentTypeError(f"not an event count: {text!r}")
    n = int(m.group(1).replace("_", "").replace(",", ""))
    return n * {"": 1, "k": 1_000, "m": 1_000_000}[m.group(2).lower()]


# --- the lake and the peers' ranges, made once per size -------------------

def ensure_lake(leadlake, cache, events):
    lake = os.path.join(cache, f"events-{events}")
    if os.path.exists(os.path.join(lake, "manifest.json")):
        return lake
    partial = lake + ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    log(f"generating a {events:,}-event lake in {lake} (once)")
    step([leadlake, "generate", "--out", partial, "--events", str(events)], "leadlake generate")
    os.rename(partial, lake)
    return lake


def ensure_ranges(lake):
    out = os.path.join(lake, "peers-ranges.csv")
    if not os.path.exists(out):
        step([sys.executable, os.path.join(HERE, "prepare_ranges.py"),
              os.path.join(lake, "ipdb"), out + ".partial"], "prepare_ranges.py")
        os.rename(out + ".partial", out)
        log(f"address ranges for the peers: {out}")
    return out


def step(argv, what):
    """Run a preparation step; stop the whole run clearly when it fails."""
    if subprocess.run(argv).returncode != 0:
        sys.exit(f"peers: {what} failed (command: {' '.join(argv)})")


# --- the contenders ---------------------------------------------------------

def csv_rows(path):
    with open(path, newline="") as f:
        return max(sum(1 for _ in csv.reader(f)) - 1, 0)


def contenders(leadlake, lake, ranges, as_of, peer_as_of, memory_limit=None):
    """(key, label, argv(tmp), rows(tmp, stdout, stderr)) for each contender.

    as_of is the manifest's (a date, for --as-of); peer_as_of the same
    instant as 'YYYY-MM-DD HH:MM:SS' for the peers' SQL; memory_limit, when
    given, is passed to every leadlake run as --memory-limit."""
    ipdb = os.path.join(lake, "ipdb")
    session = ["--lake", os.path.join(lake, "lake"),
               "--ipdb", f"{ipdb}/synthetic-isp.mmdb", "--ipdb", f"{ipdb}/synthetic-domain.mmdb",
               "--ipdb", f"{ipdb}/synthetic-asn.mmdb", "--ipdb", f"{ipdb}/synthetic-anonymous-ip.mmdb",
               "--overrides", f"{ipdb}/overrides.csv"]
    if memory_limit:
        session += ["--memory-limit", memory_limit]
    py = sys.executable
    peer = os.path.join(HERE, "peer.py")

    def all_rows(_tmp, _out, err):
        # one line per query on stderr: "company_leads: 4054 rows -> FILE (2.2s)"
        counts = [int(m) for m in re.findall(r"^\w+: (\d+) rows -> ", err, re.M)]
        if not counts:
            raise ValueError("no 'NAME: N rows' lines on stderr")
        return f"{len(counts)} queries, {sum(counts):,} rows"

    def floor_rows(_tmp, out, _err):
        return f"{int(out.splitlines()[1].split(',')[0]):,} events read"

    def peer_rows(_tmp, out, _err):
        return f"{int(out.split()[-1]):,}"

    return [
        ("leads", "leadlake `run company_leads`",
         lambda tmp: [leadlake, "run", "company_leads", "--as-of", as_of, *session,
                      "--format", "csv", "--output", os.path.join(tmp, "leads.csv")],
         lambda tmp, _out, _err: f"{csv_rows(os.path.join(tmp, 'leads.csv')):,}"),
        ("all", "leadlake `run --all`",
         lambda tmp: [leadlake, "run", "--all", "--as-of", as_of, *session,
                      "--output-dir", os.path.join(tmp, "all")],
         all_rows),
        ("floor", "floor: DataFusion reads the columns",
         lambda tmp: [leadlake, "run", os.path.join(HERE, "floor.sql"), *session, "--format", "csv"],
         floor_rows),
        ("duckdb", "DuckDB, by hand",
         lambda tmp: [py, peer, "duckdb", os.path.join(lake, "lake"), ranges, peer_as_of],
         peer_rows),
        ("chdb", "chDB (ClickHouse), by hand",
         lambda tmp: [py, peer, "chdb", os.path.join(lake, "lake"), ranges, peer_as_of],
         peer_rows),
    ]


def measure(argv, tmp, timeout):
    """Run argv as its own process.

    Returns (wall s, CPU s, peak RSS bytes, exit code, stdout, stderr, timed out)."""
    out_path, err_path = os.path.join(tmp, "stdout"), os.path.join(tmp, "stderr")
    timed_out = threading.Event()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.monotonic()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                start_new_session=True)

        def kill():
            timed_out.set()
            os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - start
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
    with open(out_path, errors="replace") as f:
        stdout = f.read()
    with open(err_path, errors="replace") as f:
        stderr = f.read()
    # ru_maxrss is in KiB on Linux
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_maxrss * 1024, proc.returncode, stdout, stderr, timed_out.is_set()


def why_failed(code, stderr, timed_out, timeout):
    if timed_out:
        return f"timed out after {timeout} s"
    if code == -signal.SIGKILL:
        return "killed (SIGKILL: out of memory?)"
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    tail = lines[-1][:160] if lines else "no message"
    if re.search(r"(?i)out of memory|memory limit|cannot allocate|MEMORY_LIMIT", tail):
        return f"out of memory: {tail}"
    return f"exit {code}: {tail}"


def bench(leadlake, cache, events, rounds, timeout, memory_limit=None):
    lake = ensure_lake(leadlake, cache, events)
    ranges = ensure_ranges(lake)
    with open(os.path.join(lake, "manifest.json")) as f:
        manifest = json.load(f)
    as_of = manifest_as_of(manifest)
    runs = contenders(leadlake, lake, ranges, str(manifest["as_of"]), as_of, memory_limit)
    results = {key: [] for key, *_ in runs}
    manifest["load before"] = os.getloadavg()[0]
    for r in range(rounds):
        # rotate the order, so no contender always follows the same one
        order = runs[r % len(runs):] + runs[:r % len(runs)]
        for key, label, argv, rows in order:
            tmp = tempfile.mkdtemp(prefix=f"peers-{key}-")
            try:
                wall, cpu, rss, code, out, err, timed_out = measure(argv(tmp), tmp, timeout)
                if code == 0:
                    try:
                        res = {"wall": wall, "cpu": cpu, "rss": rss, "rows": rows(tmp, out, err)}
                    except (OSError, ValueError, IndexError) as e:
                        res = {"failed": f"finished, but its output was unreadable: {e}"}
                else:
                    res = {"failed": why_failed(code, err, timed_out, timeout)}
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
            res["round"] = r
            results[key].append(res)
            shown = (f"{res['wall']:.2f} s, CPU {res['cpu']:.2f} s, {res['rss'] / 2**30:.2f} GiB, "
                     f"rows {res['rows']}"
                     if "wall" in res else f"did not complete: {res['failed']}")
            log(f"{events:,} events, round {r + 1}/{rounds}, {key}: {shown}")
    return manifest, as_of, runs, results


def manifest_as_of(manifest):
    """The manifest's as_of (the day after the data) as 'YYYY-MM-DD HH:MM:SS'."""
    text = str(manifest["as_of"]).replace("T", " ").replace("Z", "")
    return text if " " in text else text + " 00:00:00"


# --- the report -----------------------------------------------------------------

def ratio(results, a, b):
    """Median over the rounds where both completed of a's wall / b's wall."""
    by_round = {x["round"]: x["wall"] for x in results[b] if "wall" in x}
    rs = [x["wall"] / by_round[x["round"]] for x in results[a]
          if "wall" in x and x["round"] in by_round]
    return statistics.median(rs) if rs else None


def table(events, rounds, manifest, as_of, runs, results, meta):
    lines = [f"### {events:,} events", ""]
    lake_facts = ", ".join(f"{manifest[k]:,} {what}" for k, what in (
        ("events", "events"), ("companies", "planted companies"), ("files", "files"))
        if isinstance(manifest.get(k), int))
    lines += [textwrap.fill(
        f"`{meta['command']}` on {meta['date']} at commit "
        f"`{meta['commit']}`. {meta['machine']}. {meta['versions']}. "
        f"Lake: `leadlake generate --events {events}` (seed and days as default"
        f"{'; ' + lake_facts if lake_facts else ''}), `--as-of {as_of[:10]}`. "
        f"Load average before the rounds: {manifest['load before']:.2f}."
        + (f" Every leadlake run has `--memory-limit {meta['memory_limit']}`."
           if meta.get("memory_limit") else ""),
        width=72, break_long_words=False, break_on_hyphens=False), ""]
    lines += ["| run | median wall | min – max | median CPU | peak RSS (max of rounds) | rows |",
              "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for key, label, *_ in runs:
        ok = [x for x in results[key] if "wall" in x]
        failed = [x for x in results[key] if "failed" in x]
        if not ok:
            lines.append(f"| {label} | did not complete | | | | {failed[0]['failed']} |")
            continue
        walls = [x["wall"] for x in ok]
        rows = sorted({x["rows"] for x in ok})
        note = f" ({len(failed)} of {len(results[key])} rounds did not complete: {failed[0]['failed']})" if failed else ""
        lines.append(f"| {label} | {statistics.median(walls):.2f} s | {min(walls):.2f} – "
                     f"{max(walls):.2f} s | {statistics.median(x['cpu'] for x in ok):.2f} s | "
                     f"{max(x['rss'] for x in ok) / 2**30:.2f} GiB | "
                     f"{' / '.join(rows)}{note} |")
    big = events >= 50_000_000
    lines += ["", f"| ratio (median of the per-round ratios) | measured | issue 17's target at {'100' if big else '10'} M |",
              "| --- | ---: | --- |"]
    best = "≤ 0.2× the best peer that completes" if big else "≤ 0.2× the best peer"
    for a, b, what, target in [
        ("leads", "duckdb", "`company_leads` ÷ DuckDB", best),
        ("leads", "chdb", "`company_leads` ÷ chDB", best),
        ("leads", "floor", "`company_leads` ÷ floor", "none" if big else "≤ 1.5×"),
        ("all", "leads", "`run --all` ÷ `company_leads`", "none (both ≤ 4 GiB peak)" if big else "≤ 2×"),
    ]:
        q = ratio(results, a, b)
        lines.append(f"| {what} | {f'{q:.2f}×' if q is not None else 'n/a (did not complete)'} | {target} |")
    return "\n".join(lines) + "\n"


INTRO = f"""{SECTION}

`benches/peers/` runs the whole lead pipeline, lake to ranked companies,
four ways on the same generated lake: leadlake's `company_leads` (and
`run --all`, every canned query), the same kind of pipeline written by
hand in DuckDB SQL and in ClickHouse SQL run by chDB, and the floor:
DataFusion reading and decoding just the columns `company_leads` reads.
The peers use simpler rules than leadlake's, so their row counts differ
from leadlake's (`benches/peers/README.md` says how); they do comparable
work over the same rows. Each run is its own process; wall time includes
starting it and loading the address data, peak RSS is the process's
maximum resident set, and CPU is its user + system time, which other
load on the shared machine disturbs less than wall time. Contenders
alternate within each round, in an order that rotates from round to
round. Rerun with the command shown; each size replaces its own
subsection.
"""


def update_benchmarks(path, new):
    """Replace the sizes measured now in the section, keep the other sizes."""
    with open(path) as f:
        text = f.read()
    start = text.find(f"\n{SECTION}\n")
    subsections = {}
    if start < 0:
        before, after = text.rstrip("\n") + "\n\n", ""
    else:
        end = text.find("\n## ", start + 1)
        end = len(text) if end < 0 else end + 1
        before, after = text[:start + 1], text[end:]
        old = text[start + 1:end]
        for m in re.finditer(r"^### ([\d,]+) events\n.*?(?=^### |\Z)", old, re.S | re.M):
            subsections[int(m.group(1).replace(",", ""))] = m.group(0).rstrip("\n") + "\n"
    subsections.update(new)
    body = "\n".join(subsections[k] for k in sorted(subsections))
    section = INTRO + "\n" + body
    with open(path, "w") as f:
        f.write(before + section + ("\n" + after if after else ""))


def machine():
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            model = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
        with open("/proc/meminfo") as f:
            mem = int(next(line.split()[1] for line in f if line.startswith("MemTotal"))) / 2**20
    except (OSError, StopIteration):
        mem = 0
    return f"Machine: {os.cpu_count()} cores ({model}), {mem:.0f} GiB"


def git(*args):
    r = subprocess.run(["git", "-C", REPO, *args], capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 else ""


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--leadlake", default="leadlake", help="the leadlake binary (run.sh passes it)")
    p.add_argument("--events", type=count, action="append",
                   help="lake size (1M, 10M, 100M, ...); repeat for several; default 1M and 10M")
    p.add_argument("--rounds", type=int, default=3, help="rounds per size (default 3)")
    p.add_argument("--timeout", type=int, default=1800, help="seconds before a run is killed (default 1800)")
    p.add_argument("--cache", default=os.environ.get("LEADLAKE_PEERS_CACHE",
                                                     os.path.expanduser("~/.cache/leadlake-peers")),
                   help="where the lakes are kept (default ~/.cache/leadlake-peers or $LEADLAKE_PEERS_CACHE)")
    p.add_argument("--memory-limit", metavar="SIZE",
                   help="pass --memory-limit SIZE to every leadlake run (issue 17 runs 100M with 4G)")
    p.add_argument("--no-write", action="store_true", help="print the table only; leave BENCHMARKS.md")
    p.add_argument("--check-args", action="store_true", help=argparse.SUPPRESS)
    a = p.parse_args()
    sizes = a.events or [1_000_000, 10_000_000]
    if a.rounds < 1:
        p.error("--rounds must be at least 1")
    # leadlake's own syntax (a number, an optional K, M, G or T), checked
    # here so a typo fails before the lake is made rather than in every run
    if a.memory_limit and not re.fullmatch(r"\d+(\.\d+)?[KMGTkmgt]?[iI]?[bB]?", a.memory_limit):
        p.error(f"--memory-limit {a.memory_limit!r}: expected a size like 4G or 512M")
    if a.check_args:
        # run.sh checks the arguments before a release build that can take long
        return
    os.makedirs(a.cache, exist_ok=True)
    # measure a private copy, so a rebuild during the run changes nothing
    built = datetime.datetime.fromtimestamp(os.path.getmtime(a.leadlake)).strftime("%Y-%m-%d %H:%M")
    private = tempfile.mkdtemp(prefix="peers-bin-")
    leadlake = shutil.copy2(a.leadlake, os.path.join(private, "leadlake"))
    try:
        measure_sizes(a, sizes, leadlake, built)
    finally:
        shutil.rmtree(private, ignore_errors=True)


def measure_sizes(a, sizes, leadlake, built):
    import chdb
    import duckdb
    version = subprocess.run([leadlake, "--version"], capture_output=True, text=True).stdout.strip()
    meta = {
        "command": "benches/peers/run.sh " + " ".join(
            [f"--events {n}" for n in sizes] + [f"--rounds {a.rounds}"]
            + ([f"--memory-limit {a.memory_limit}"] if a.memory_limit else [])),
        "memory_limit": a.memory_limit,
        "date": datetime.date.today().isoformat(),
        "commit": (git("rev-parse", "--short", "HEAD") or "unknown")
                  + (" with local changes" if git("status", "--porcelain", "--untracked-files=no") else ""),
        "machine": machine(),
        "versions": f"{version or 'leadlake'} (release build of {built}), DuckDB {duckdb.__version__}, "
                    f"chDB {chdb.__version__}, Python {sys.version.split()[0]}",
    }
    for events in sizes:
        manifest, as_of, runs, results = bench(leadlake, a.cache, events, a.rounds, a.timeout, a.memory_limit)
        block = table(events, a.rounds, manifest, as_of, runs, results, meta)
        print(block, flush=True)
        # each size as soon as it is measured, so a later size failing loses nothing
        if not a.no_write:
            update_benchmarks(os.path.join(REPO, "BENCHMARKS.md"), {events: block})
            log(f"wrote the {events:,}-event figures to BENCHMARKS.md")


if __name__ == "__main__":
    main()
