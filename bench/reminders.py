"""`make bench-reminders`: the sweep benchmark and the sending benchmark, each on a
database of its own, then one short block of lines and one JSON document
({"sweep": {...}, "send": {...}}) for bench/run.py to include in docs/performance.md.

    bench/reminders.py [--tiny] [--database-url URL] [--json PATH]

The sending benchmark uses the same database name with "_send" appended, and Redis at
$REDIS_URL. Each part can also be run alone (bench/reminders_sweep.py, reminders_send.py).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/mentorship_bench_reminders"


def run_part(script: str, database_url: str, tiny: bool) -> tuple[dict, str]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        args = [sys.executable, str(HERE / script), "--database-url", database_url]
        args += ["--json", str(out)] + (["--tiny"] if tiny else [])
        completed = subprocess.run(args, cwd=HERE.parent, capture_output=True, text=True)
        if completed.returncode:
            sys.exit(f"{script} failed:\n{completed.stdout}\n{completed.stderr}")
        return json.loads(out.read_text()), completed.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tiny", action="store_true", help="seconds, for the smoke test")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--json", metavar="PATH", help="write the results here")
    args = parser.parse_args()
    url = args.database_url + ("_tiny" if args.tiny else "")
    sweep, sweep_out = run_part("reminders_sweep.py", url, args.tiny)
    send, send_out = run_part("reminders_send.py", url + "_send", args.tiny)
    print(sweep_out.rstrip())
    print(send_out.rstrip())
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps({**sweep, **send}, indent=2) + "\n")
        print(f"\nWritten to {args.json}")


if __name__ == "__main__":
    main()
