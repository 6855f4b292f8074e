#!/usr/bin/env python3
"""Entities, alias merging, dates, figures and speakers on the MEANTIME news benchmark.

usage: eval/understanding.py [BENCH_DIR] [--storyline BIN] [--json] [--keep FILE]
                             [--speed-mb N] [--bench-bin BIN]

BENCH_DIR holds score.py and meantime/ (default ../shared/bench/understanding). The script
writes meantime/docs.jsonl as {id, text, published} lines to a temporary file, runs
`storyline analyze` on it (the analyzer alone, entities merged across articles by the entity
directory), converts the analysis into the benchmark's prediction format and scores it with
the benchmark's own score.py. Speed: the same texts analysed again, repeated up to --speed-mb
megabytes, timed as the child's CPU time (MB/s of text per core) with its peak memory, through
the CLI and, when src/understand/understand_bench is built, for the analyzer alone.

Conversion (no knowledge of the gold is used):
  * entities: every mention, typed PER/ORG/LOC/MISC as the analyzer typed it, with the global
    entity id "<type>|<directory key>";
  * dates: every date with its value (TIMEX3 / ISO 8601);
  * figures: money -> MONEY, percent -> PERCENT, counts and other amounts -> QUANTITY
    (ordinals and durations are not MEANTIME number expressions and are left out);
  * quotes: the cue span is the nearest occurrence of the quote's cue word(s) to its quote
    span within the same paragraph (the analysis gives the cue as text); the speaker is the
    speaker entity's id, or the nearest occurrence of the speaker's role text.
Offsets are UTF-8 byte offsets (scored with --byte-offsets).
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_BENCH = os.path.normpath(os.path.join(ROOT, "..", "shared", "bench", "understanding"))
DEFAULT_BIN = os.path.join(ROOT, "build", "src", "cli", "storyline")

FIGURE_TYPES = {"money": "MONEY", "percent": "PERCENT", "count": "QUANTITY", "other": "QUANTITY"}


def entity_id(entity):
    return f"{entity.get('type', 'MISC')}|{entity.get('key') or entity.get('name', '')}"


def find_near(text_bytes, needle, begin, end, limit=400):
    """Byte span of the occurrence of `needle` nearest to [begin, end) in the same paragraph."""
    if not needle:
        return None
    lo = text_bytes.rfind(b"\n", 0, max(0, begin)) + 1
    hi = text_bytes.find(b"\n", end)
    if hi < 0:
        hi = len(text_bytes)
    lo, hi = max(lo, begin - limit), min(hi, end + limit)
    best = None
    pos = text_bytes.find(needle, lo, hi)
    while pos >= 0:
        after = pos + len(needle)
        # Whole words only.
        ok = (pos == 0 or not chr(text_bytes[pos - 1]).isalnum()) and (
            after >= len(text_bytes) or not chr(text_bytes[after]).isalnum())
        if ok and not (pos >= begin and after <= end):
            dist = begin - after if after <= begin else pos - end if pos >= end else 0
            if best is None or dist < best[0]:
                best = (dist, pos, after)
        pos = text_bytes.find(needle, pos + 1, hi)
    return (best[1], best[2]) if best else None


def convert(doc_id, text, analysis):
    """One analyze record -> one prediction line (byte offsets)."""
    tb = text.encode("utf-8")
    entities = analysis.get("entities", [])
    ids = [entity_id(e) for e in entities]
    pred = {"id": doc_id, "entities": [], "dates": [], "figures": [], "quotes": []}
    for m in analysis.get("mentions", []):
        b, e = m["span"]
        ent = m.get("entity", -1)
        pred["entities"].append({"start": b, "end": e, "type": m.get("type", "MISC"),
                                 "entity": ids[ent] if 0 <= ent < len(ids) else None})
    for d in analysis.get("dates", []):
        b, e = d["span"]
        pred["dates"].append({"start": b, "end": e, "value": d.get("value", "")})
    for f in analysis.get("figures", []):
        kind = FIGURE_TYPES.get(f.get("kind"))
        if kind:
            b, e = f["span"]
            pred["figures"].append({"start": b, "end": e, "type": kind})
    for q in analysis.get("quotes", []):
        b, e = q["span"]
        item = {"start": b, "end": e}
        cue = find_near(tb, q.get("cue", "").encode("utf-8"), b, e)
        if cue:
            item["cue_start"], item["cue_end"] = cue
        ent = q.get("speaker_entity", -1)
        if 0 <= ent < len(ids):
            item["speaker_entity"] = ids[ent]
        elif q.get("speaker"):
            anchor = cue or (b, e)
            spk = find_near(tb, q["speaker"].encode("utf-8"), anchor[0], anchor[1])
            if spk:
                item["speaker"] = {"start": spk[0], "end": spk[1]}
        pred["quotes"].append(item)
    return pred


def run_analyze(binary, path):
    """Runs `storyline analyze path`; returns (stdout, cpu seconds, peak RSS in MB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([binary, "analyze", path], capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"storyline analyze failed ({proc.returncode}): {proc.stderr.strip()[:500]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return proc.stdout, cpu, after.ru_maxrss / 1024.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench", nargs="?", default=DEFAULT_BENCH)
    parser.add_argument("--storyline", default=os.environ.get("STORYLINE_BIN", DEFAULT_BIN))
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--keep", help="also write the predictions to this file")
    parser.add_argument("--bench-bin", help="understand_bench binary (default: beside the CLI's "
                        "build, src/understand/understand_bench)")
    parser.add_argument("--speed-mb", type=float, default=8.0,
                        help="megabytes of text to time (the corpus repeated); 0 = skip")
    args = parser.parse_args()

    gold = os.path.join(args.bench, "meantime")
    docs = [json.loads(line) for line in open(os.path.join(gold, "docs.jsonl"), encoding="utf-8")
            if line.strip()]
    by_id = {d["id"]: d for d in docs}
    with tempfile.TemporaryDirectory() as tmp:
        inp = os.path.join(tmp, "in.jsonl")
        with open(inp, "w", encoding="utf-8") as f:
            for d in docs:
                f.write(json.dumps({"id": d["id"], "text": d["text"],
                                    "published": d.get("published", "")}) + "\n")
        out, _, _ = run_analyze(args.storyline, inp)
        preds = []
        for line in out.splitlines():
            if not line.strip():
                continue
            rec = json.loads(line)
            doc = by_id.get(rec["id"])
            if doc:
                preds.append(convert(rec["id"], doc["text"], rec.get("analysis", {})))
        pred_path = args.keep or os.path.join(tmp, "pred.jsonl")
        with open(pred_path, "w", encoding="utf-8") as f:
            for p in preds:
                f.write(json.dumps(p) + "\n")
        score = subprocess.run([sys.executable, os.path.join(args.bench, "score.py"), gold,
                                pred_path, "--byte-offsets", "--json"],
                               capture_output=True, text=True)
        if score.returncode != 0:
            sys.exit(f"score.py failed: {score.stderr.strip()[:500]}")
        result = json.loads(score.stdout)

        speed = None
        if args.speed_mb > 0:
            corpus = sum(len(d["text"].encode("utf-8")) for d in docs)
            copies = max(1, int(args.speed_mb * 1e6 / corpus))
            big = os.path.join(tmp, "speed.jsonl")
            with open(big, "w", encoding="utf-8") as f:
                for k in range(copies):
                    for d in docs:
                        f.write(json.dumps({"id": f"{d['id']}#{k}", "text": d["text"],
                                            "published": d.get("published", "")}) + "\n")
            wall = time.monotonic()
            _, cpu, rss = run_analyze(args.storyline, big)
            wall = time.monotonic() - wall
            mb = corpus * copies / 1e6
            speed = {"mb": round(mb, 2), "articles": copies * len(docs),
                     "cpu_s": round(cpu, 3), "wall_s": round(wall, 3),
                     "mb_per_s_per_core": round(mb / cpu, 2) if cpu else None,
                     "articles_per_s": round(copies * len(docs) / cpu, 1) if cpu else None,
                     "peak_rss_mb": round(rss, 1)}
            # The analyzer alone (no JSON parsing or printing), when its bench is built.
            bench = args.bench_bin or os.path.join(
                os.path.dirname(os.path.dirname(os.path.abspath(args.storyline))),
                "understand", "understand_bench")
            if os.path.exists(bench):
                run = subprocess.run([bench, big], capture_output=True, text=True)
                if run.returncode == 0 and run.stdout.strip():
                    speed["analyzer_alone"] = json.loads(run.stdout)
        result["speed"] = speed

    if args.json:
        print(json.dumps(result, indent=1))
        return
    report(result)


def report(res):
    def prf(m):
        return (f"P {m['p']:.3f}  R {m['r']:.3f}  F1 {m['f1']:.3f}"
                f"  ({m['tp']}/{m['pred']} pred, {m['gold']} gold)")

    rows = []
    e = res.get("entities", {})
    for k in ("exact", "overlap", "typed", "typed_per_org_loc"):
        if k in e:
            rows.append((f"entities {k}", prf(e[k])))
    for t, m in e.get("by_type", {}).items():
        rows.append((f"  type {t}", prf(m)))
    if "merging_b3" in e:
        b = e["merging_b3"]
        rows.append(("entity merging B3", f"P {b['p']:.3f}  R {b['r']:.3f}  F1 {b['f1']:.3f}"
                     f"  ({b['mentions']} matched mentions)"))
    for name in ("dates", "timex_all"):
        if name in res:
            d = res[name]
            rows.append((f"{name} strict", prf(d["strict"])))
            rows.append((f"{name} relaxed", prf(d["relaxed"])))
            rows.append((f"{name} value", f"acc {d['value_accuracy']:.3f}  day-level "
                         f"{d['value_accuracy_day']:.3f}  value F1 {d['value_f1']['f1']:.3f}"))
    if "figures" in res:
        d = res["figures"]
        rows.append(("figures strict", prf(d["strict"])))
        rows.append(("figures relaxed", prf(d["relaxed"]) + f"  type acc {d['type_accuracy']:.3f}"))
    if "speech" in res:
        s = res["speech"]
        rows.append(("speech cues", prf(s["cue"])))
        rows.append(("speaker accuracy", f"all {s['speaker_accuracy']:.3f} "
                     f"({s['events_with_speaker']} events)  reporting verbs "
                     f"{s['speaker_accuracy_say']:.3f} ({s['say_events_with_speaker']})"))
    sp = res.get("speed")
    if sp:
        rows.append(("speed", f"{sp['mb_per_s_per_core']} MB/s per core, "
                     f"{sp['articles_per_s']} articles/s ({sp['mb']} MB, {sp['articles']} articles, "
                     f"cpu {sp['cpu_s']} s, wall {sp['wall_s']} s), "
                     f"peak RSS {sp['peak_rss_mb']} MB (largest child)"
                     " (CLI: JSON in and out)"))
        al = sp.get("analyzer_alone")
        if al:
            rows.append(("speed, analyzer alone", f"{al['mb_per_s_per_core']} MB/s per core, "
                         f"{al['articles_per_s']} articles/s, peak RSS {al['peak_rss_mb']} MB"))
    width = max(len(r[0]) for r in rows)
    print(f"MEANTIME ({res['docs']} docs, {res['docs_predicted']} predicted)")
    for name, value in rows:
        print(f"  {name:{width}s}  {value}")


if __name__ == "__main__":
    main()
