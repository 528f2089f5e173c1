"""`make bench`: seed (if needed), serve with gunicorn, load every page with wrk, and
compare against Django's own ceiling on this machine. Writes docs/performance.md.

Load generator: wrk (Debian's package), 2 threads, fixed connections, keep-alive,
against gunicorn with a fixed number of sync workers on 127.0.0.1.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
BASE_URL = os.environ.get("BENCH_DATABASE_BASE", "postgres://postgres@127.0.0.1:5432")

# Full scale, a tenth for the growth ratio, and a tiny programme for the export's memory.
SIZES = {"full": 1.0, "tenth": 0.1, "export-small": 0.01}
TINY_SIZES = {"full": 0.01, "tenth": 0.001, "export-small": 0.001}

ANALYSIS_MARKER = "<!-- analysis: kept by bench/run.py -->"
# Throughput against the baseline, per page where the issue sets one, else per kind.
THROUGHPUT_TARGETS = {
    "dashboard": 0.35,
    "workspace": 0.25,
    "goal timeline": 0.25,
    "workspace (heaviest)": 0.15,
}
KIND_TARGETS = {"admin": 0.15}
JUDGED = {"partner", "admin"}
# A page's server time in-process, at most this many times the time of its own SQL.
MAX_SERVER_OVER_SQL = {"partner": 2.0}


def throughput_target(page: dict) -> float | None:
    return THROUGHPUT_TARGETS.get(page["page"], KIND_TARGETS.get(page["kind"]))


def manage(database_url: str, *args: str) -> str:
    # MEASURING installs the measuring tools, whose commands (seed_scale) this runs.
    env = {**os.environ, "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING", "MEASURING": "true"}
    return subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def ensure_seeded(name: str, fraction: float, prefix: str) -> str:
    url = f"{BASE_URL}/{prefix}_{name.replace('-', '_')}"
    manage(url, "check_services", "--create-database")
    manage(url, "migrate", "--noinput")
    try:
        started = time.monotonic()
        manage(url, "seed_scale", "--fraction", str(fraction))
        print(f"  seeded {name} ({fraction:g}) in {time.monotonic() - started:.0f}s", flush=True)
    except subprocess.CalledProcessError as error:
        if "fills an empty database" not in (error.stderr or ""):
            raise
    return url


def measure(url: str, *extra: str) -> dict:
    result = subprocess.run(
        [PY, "bench/measure.py", "--database-url", url, *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(f"bench/measure.py failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    return f"{os.cpu_count()} cores ({cpu}), {memory} GiB, {platform.platform()}"


def table(full: dict, tenth: dict, export: dict | None, export_small: dict | None) -> str:
    baseline = next(p for p in full["pages"] if p["page"] == "baseline")
    small = {p["page"]: p for p in tenth["pages"]}
    lines = [
        "| page | queries | server ms | SQL ms | server/SQL | req/s | p50 ms | p95 ms | p99 ms "
        "| vs baseline | p50 full/tenth | target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for page in full["pages"]:
        ratio = page["rps"] / baseline["rps"]
        smaller = small.get(page["page"])
        growth = page["p50"] / smaller["p50"] if smaller and smaller["p50"] else None
        per_row = page.get("rows") and smaller and smaller.get("rows")
        if per_row and growth is not None:
            # An export's output grows with the programme: judge its cost per row.
            growth *= smaller["rows"] / page["rows"]
        over_sql = page["server_ms"] / page["sql_ms"] if page["sql_ms"] else None
        misses = []
        target = throughput_target(page)
        if target and ratio < target:
            misses.append(f"throughput < {target:.0%}")
        ceiling = MAX_SERVER_OVER_SQL.get(page["kind"])
        if ceiling and over_sql and over_sql > ceiling:
            misses.append(f"server > {ceiling:g} times the SQL")
        if per_row:
            if page["queries"] / page["rows"] > smaller["queries"] / smaller["rows"]:
                misses.append("queries grow faster than the rows")
        elif smaller and smaller["queries"] != page["queries"]:
            misses.append("queries grow with data")
        if growth is not None and growth > 1.2 and page["kind"] in JUDGED:
            misses.append(f"p50{' per row' if per_row else ''} grows more than 1.2 times")
        if page["errors"]:
            misses.append(f"{page['errors']} errors")
        if not page["requests"]:
            misses.append("no request completed")
        verdict = (
            "—" if page["kind"] not in JUDGED else ("met" if not misses else "; ".join(misses))
        )
        growth_cell = "—" if growth is None else f"{growth:.2f}{' per row' if per_row else ''}"
        over_sql_cell = "—" if over_sql is None else f"{over_sql:.1f}"
        lines.append(
            f"| {page['page']} | {page['queries']} | {page['server_ms']:.1f} | "
            f"{page['sql_ms']:.1f} | {over_sql_cell} | {page['rps']:.0f} | {page['p50']:.1f} | "
            f"{page['p95']:.1f} | {page['p99']:.1f} | {ratio:.0%} | {growth_cell} | {verdict} |"
        )
    lines.append("")
    lines.append(
        f"Web worker RSS after the load: {full['worker_rss_mb']:.0f} MB (target ≤ 150 MB)."
    )
    if export and export_small:
        growth = export["peak_rss_mb"] - export_small["peak_rss_mb"]
        lines.append(
            f"CSV export peak RSS: {export['peak_rss_mb']:.0f} MB for 4,000 partnerships "
            f"({export['bytes']:,} bytes) vs {export_small['peak_rss_mb']:.0f} MB for 40: "
            f"{growth:+.1f} MB (target < 20 MB)."
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tiny", action="store_true", help="seconds-long smoke run")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=21, help="in-process timings per page")
    parser.add_argument("--output", default=str(ROOT / "docs" / "performance.md"))
    parser.add_argument("--reminders-json", default=str(ROOT / "var" / "bench" / "reminders.json"))
    parser.add_argument("--cohort-json", default=str(ROOT / "var" / "bench" / "cohort.json"))
    args = parser.parse_args()
    sizes = TINY_SIZES if args.tiny else SIZES
    prefix = "mentorship_benchtiny" if args.tiny else "mentorship_bench"
    seconds = 2 if args.tiny else args.seconds
    if args.tiny:
        args.connections = 2

    print("Seeding (skipped where already seeded)...", flush=True)
    urls = {name: ensure_seeded(name, fraction, prefix) for name, fraction in sizes.items()}
    load = [
        "--seconds",
        str(seconds),
        "--connections",
        str(args.connections),
        "--workers",
        str(args.workers),
        "--repeats",
        str(3 if args.tiny else args.repeats),
    ]
    print("Measuring full scale...", flush=True)
    full = measure(urls["full"], *load)
    print("Measuring one tenth...", flush=True)
    tenth = measure(urls["tenth"], *load)
    export = measure(urls["full"], "--export")
    export_small = measure(urls["export-small"], "--export")

    report = table(full, tenth, export, export_small)
    reminders = Path(args.reminders_json)
    if reminders.exists():  # written by `make bench-reminders`, which `make bench` runs first
        results = json.loads(reminders.read_text())
        lines = [*results["sweep"]["summary"], *results["send"]["summary"]]
        report += "\n\n## Reminders\n\n" + "\n".join(f"- {line}" for line in lines)
    cohort = Path(args.cohort_json)
    if cohort.exists():  # written by `make bench-cohort`, which `make bench` runs first
        lines = json.loads(cohort.read_text())["cohort"]["summary"]
        report += "\n\n## Cohort matching\n\n" + "\n".join(f"- {line}" for line in lines)
    header = (
        f"# Performance\n\nMeasured by `make bench` on {time.strftime('%Y-%m-%d')}: "
        f"{machine()}.\n\ngunicorn with {args.workers} sync workers on 127.0.0.1, loaded by "
        f"wrk with 2 threads and {args.connections} connections for {seconds} s per page "
        f"after a 1 s warm-up. Full scale is 10,000 partnerships, 200,000 check-ins; "
        f'"tenth" is a tenth of that. The baseline is a bare login-required view on the '
        f"same base template and middleware: Django's ceiling here. The workspace from a "
        f"page cache is a reference, not a product page: the typical workspace as a "
        f"full-page cache would serve it (the membership check, then the rendered page from "
        f"Redis). Server and SQL ms are medians of {args.repeats} requests in-process, "
        f"the SQL timed around each query's execute (PostgreSQL and the round trip). "
        f"Targets: every partner page's server time ≤ 2 times its SQL; throughput against the "
        f"baseline ≥ 35% for the dashboard, 25% for the workspace and the goal page, 15% "
        f"for the heaviest workspace and every admin page; p50 full/tenth ≤ 1.2 (for the "
        f"export, whose output grows with the programme, per row exported); queries "
        f"constant in data size.\n\n"
    )
    print(report)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    # The hand-written analysis below the marker survives a new measurement.
    kept = ""
    if output.exists() and ANALYSIS_MARKER in output.read_text():
        kept = "\n" + output.read_text()[output.read_text().index(ANALYSIS_MARKER) :]
    output.write_text(header + report + "\n" + kept)
    print(f"\nWritten to {args.output}")


if __name__ == "__main__":
    main()
