#!/usr/bin/env python3
"""Article extraction accuracy and speed on the Article Extraction Benchmark layout.

usage: eval/extraction.py [BENCH_DIR] [--storyline BIN] [--text] [--json] [--worst N] [--keep OUT]

BENCH_DIR is the folder holding score.py, scrapinghub-aeb/ (html/*.html.gz, ground-truth.json)
and aeb-text/ (default ../shared/bench/extraction). Runs `storyline extract --format aeb` on every
page (HTML, or the scraped-text rendering with --text), scores the output with the benchmark's own
score.py, and prints F1, precision, recall, ms/page, MB/s and peak memory, next to the peers'
published F1 from score.py --peers. --worst N lists the N pages with the lowest F1 (per-page
precision and recall with the benchmark's own shingle metric); --keep OUT saves the extractor's
output for a closer look.
"""
import argparse
import gzip
import importlib.util
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_BENCH = os.path.normpath(os.path.join(ROOT, "..", "shared", "bench", "extraction"))
DEFAULT_BIN = os.path.join(ROOT, "build", "src", "cli", "storyline")


def parse_score(output):
    """score.py prints a table: system, version, then "F1 ± ci", precision, recall, accuracy."""
    for line in output.splitlines():
        values = re.findall(r"(\d+\.\d+) ±", line)
        if len(values) >= 3:
            return {"f1": float(values[0]), "precision": float(values[1]),
                    "recall": float(values[2])}
    return {}


def worst_pages(bench, out_path, count):
    """Per-page (f1, precision, recall, id) with score.py's own shingles, lowest F1 first."""
    spec = importlib.util.spec_from_file_location("aeb_score", os.path.join(bench, "score.py"))
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    truth = scorer.load_json(os.path.join(bench, "scrapinghub-aeb", "ground-truth.json"))
    pred = json.load(open(out_path, encoding="utf8"))
    rows = []
    for key in truth:
        counts = scorer.page_counts(scorer.body(truth, key), scorer.body(pred, key))
        p, r = scorer.prec(*counts), scorer.rec(*counts)
        rows.append((2 * p * r / (p + r) if p + r else 0.0, p, r, key))
    rows.sort()
    return rows[:count]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench", nargs="?", default=DEFAULT_BENCH)
    parser.add_argument("--storyline", default=os.environ.get("STORYLINE_BIN", DEFAULT_BIN))
    parser.add_argument("--text", action="store_true", help="score the scraped-text rendering")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--worst", type=int, default=0, metavar="N",
                        help="also list the N pages with the lowest F1")
    parser.add_argument("--keep", metavar="OUT", help="save the extractor's output here")
    args = parser.parse_args()

    aeb = os.path.join(args.bench, "scrapinghub-aeb")
    with tempfile.TemporaryDirectory() as tmp:
        pages = os.path.join(tmp, "pages")
        os.makedirs(pages)
        total_bytes = 0
        if args.text:
            src = os.path.join(args.bench, "aeb-text")
            for name in sorted(os.listdir(src)):
                data = open(os.path.join(src, name), "rb").read()
                total_bytes += len(data)
                open(os.path.join(pages, name), "wb").write(data)
        else:
            src = os.path.join(aeb, "html")
            for name in sorted(os.listdir(src)):
                if not name.endswith(".html.gz"):
                    continue
                data = gzip.open(os.path.join(src, name)).read()
                total_bytes += len(data)
                open(os.path.join(pages, name[:-3]), "wb").write(data)
        count = len(os.listdir(pages))
        out_path = os.path.join(tmp, "out.json")
        start = time.perf_counter()
        with open(out_path, "wb") as out:
            proc = subprocess.run([args.storyline, "--quiet", "extract", "--format", "aeb", pages],
                                  stdout=out, stderr=subprocess.PIPE, timeout=3600)
        seconds = time.perf_counter() - start
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak_kib = usage.ru_maxrss
        cpu_seconds = usage.ru_utime + usage.ru_stime
        if proc.returncode != 0:
            print(proc.stderr.decode(errors="replace"), file=sys.stderr)
            return 2
        score = subprocess.run([sys.executable, os.path.join(args.bench, "score.py"), "aeb", out_path],
                               capture_output=True, text=True, cwd=args.bench)
        metrics = parse_score(score.stdout)
        worst = worst_pages(args.bench, out_path, args.worst) if args.worst else []
        if args.keep:
            with open(out_path, "rb") as src_file, open(args.keep, "wb") as dst_file:
                dst_file.write(src_file.read())
        peers = subprocess.run([sys.executable, os.path.join(args.bench, "score.py"), "aeb", "--peers"],
                               capture_output=True, text=True, cwd=args.bench).stdout

    result = {
        "input": "aeb-text" if args.text else "aeb-html",
        "pages": count,
        **metrics,
        "ms_per_page": 1000 * seconds / max(count, 1),
        "mb_per_s": total_bytes / 1e6 / seconds if seconds else 0,
        "cpu_ms_per_page": 1000 * cpu_seconds / max(count, 1),
        "pages_per_s": count / seconds if seconds else 0,
        "peak_mib": peak_kib / 1024,
        "note": "one `storyline extract` process over all pages (both cores), parsing, start-up "
                "and output included; ms/page is wall time, cpu ms/page is user+system time "
                "(the cost on one core, robust to other load on the machine)",
    }
    if worst:
        result["worst"] = [{"id": key, "f1": f, "precision": p, "recall": r}
                           for f, p, r, key in worst]
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"storyline on {result['input']} ({count} pages)")
    for key in ("f1", "precision", "recall"):
        if key in result:
            print(f"  {key:<10} {result[key]:.3f}")
    print(f"  ms/page    {result['ms_per_page']:.2f} wall ({result['pages_per_s']:.0f} pages/s, "
          f"{result['mb_per_s']:.1f} MB/s), {result['cpu_ms_per_page']:.2f} cpu")
    print(f"  peak RSS   {result['peak_mib']:.1f} MiB")
    if worst:
        print(f"\nworst {len(worst)} pages (F1 / precision / recall):")
        for f, p, r, key in worst:
            print(f"  {f:.3f}  {p:.3f}  {r:.3f}  {key}")
    print("\nscore.py output:\n" + score.stdout.strip())
    if peers.strip():
        print("\npublished peers (score.py --peers):\n" + peers.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
