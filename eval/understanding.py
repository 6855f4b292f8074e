#!/usr/bin/env python3
"""Entities, alias merging, dates, figures and speakers on the MEANTIME news benchmark.

usage: eval/understanding.py [BENCH_DIR] [--storyline BIN] [--json] [--keep FILE]
                             [--speed-mb N] [--bench-bin BIN] [--diff dates|figures|speech]

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

--diff LAYER prints, per article, the scored gold items of that layer that were missed, the
predictions that match nothing, and the partial matches (span or value differs, wrong speaker),
with matching as in score.py (a diagnostic for development; it skips the speed run).
"""
import importlib.util
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
        cs = q.get("cue_span")
        if cs and cs[1] > cs[0]:
            cue = (cs[0], cs[1])
        else:
            cue = find_near(tb, q.get("cue", "").encode("utf-8"), b, e)
        if cue:
            item["cue_start"], item["cue_end"] = cue
        ent = q.get("speaker_entity", -1)
        ss = q.get("speaker_span")
        if ss and ss[1] > ss[0]:
            item["speaker"] = {"start": ss[0], "end": ss[1]}
        if 0 <= ent < len(ids):
            item["speaker_entity"] = ids[ent]
        elif q.get("speaker") and "speaker" not in item:
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
    parser.add_argument("--diff", choices=("dates", "figures", "speech"),
                        help="print missed gold items and spurious predictions of one layer")
    args = parser.parse_args()
    if args.diff:
        args.speed_mb = 0

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
        if args.diff:
            print_diff(args.bench, gold, pred_path, args.diff)
            return

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


def load_scorer(bench):
    spec = importlib.util.spec_from_file_location("meantime_score", os.path.join(bench, "score.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def print_diff(bench, gold_dir, pred_path, layer):
    """Missed gold items (-), spurious predictions (+) and partial matches (~) of one layer."""
    sc = load_scorer(bench)
    docs = {d["id"]: d for d in sc.load_jsonl(os.path.join(gold_dir, "docs.jsonl"))}
    preds = {}
    for p in sc.load_jsonl(pred_path) or []:
        if p.get("id") in docs:
            sc.bytes_to_chars(p, docs[p["id"]]["text"])
            preds[p["id"]] = p
    gold = sc.by_doc(sc.load_jsonl(os.path.join(gold_dir, layer + ".jsonl")))
    ents = sc.by_doc(sc.load_jsonl(os.path.join(gold_dir, "entities.jsonl")))
    counts = {}

    def note(kind):
        counts[kind] = counts.get(kind, 0) + 1

    def ctx(text, s, e, width=40):
        left = text[max(0, s - width):s].replace("\n", " | ")
        right = text[e:e + width].replace("\n", " | ")
        return f"...{left}[{text[s:e]}]{right}..."

    for doc_id in sorted(docs):
        doc = docs[doc_id]
        text, end, lines = doc["text"], doc["annotated_end"], []
        pred = preds.get(doc_id, {})
        if layer in ("dates", "figures"):
            golds = gold.get(doc_id, [])
            if layer == "dates":
                golds = [g for g in golds if not (g["type"] in sc.NON_POINT_TIMEX or g.get("dct"))]
                others = [(g["start"], g["end"]) for g in gold.get(doc_id, []) if g not in golds]
            else:
                others = []
            items = sc.spans_of(pred.get(layer), end)
            if layer == "dates":
                other_exact = {sc.norm_span(text, *o) for o in others}
                items = [(sp, it) for sp, it in items if sc.norm_span(text, *sp) not in other_exact
                         and (any(sc.overlap(sp, (g["start"], g["end"])) for g in golds) or not (
                             sc.DURATION_VALUE.match(str(it.get("value") or "").upper())
                             or any(sc.overlap(sp, o) for o in others)))]
            pairs = sc.match_overlap([(g["start"], g["end"]) for g in golds], [sp for sp, _ in items])
            gm = {gi: pi for gi, pi in pairs}
            pm = {pi for _, pi in pairs}
            for gi, g in enumerate(golds):
                if gi not in gm:
                    note("missed")
                    lines.append(f"  - {g.get('type')} {g.get('value', '')!s:12s} "
                                 f"{ctx(text, g['start'], g['end'])}")
                    continue
                (ps, pe), it = items[gm[gi]]
                span_ok = sc.norm_span(text, g["start"], g["end"]) == sc.norm_span(text, ps, pe)
                msgs = []
                if not span_ok:
                    note("span")
                    msgs.append(f"span pred [{text[ps:pe]}]")
                if layer == "dates":
                    gv, pv = sc.canon_value(g["value"]), sc.canon_value(it.get("value"))
                    if gv and "/" not in gv and gv != pv:
                        note("value")
                        msgs.append(f"value gold {gv} pred {pv}")
                elif sc.FIGURE_TYPES.get(str(it.get("type") or "").upper()) != \
                        sc.FIGURE_TYPES.get(g["type"]):
                    note("type")
                    msgs.append(f"type gold {g['type']} pred {it.get('type')}")
                if msgs:
                    lines.append(f"  ~ {'; '.join(msgs)}  {ctx(text, g['start'], g['end'])}")
            for pi, ((ps, pe), it) in enumerate(items):
                if pi not in pm:
                    note("spurious")
                    lines.append(f"  + {it.get('value', it.get('type', ''))!s:12s} "
                                 f"{ctx(text, ps, pe)}")
        else:
            events = [g for g in gold.get(doc_id, []) if "cue_start" in g and g["cue_start"] < end]
            quotes = []
            for q in pred.get("quotes") or []:
                cue, qs, spk = sc.quote_spans(q)
                anchor = cue or qs
                if anchor and anchor[0] < end:
                    quotes.append((anchor, spk, q.get("speaker_entity")))
            mentions = {}
            for m in ents.get(doc_id, []):
                mentions.setdefault(m["instance"], []).append((m["start"], m["end"]))
            maps_to = {}
            for p in pred.get("entities") or []:
                if p.get("entity") is None or "start" not in p:
                    continue
                for inst, spans in mentions.items():
                    if any(sc.overlap((p["start"], p["end"]), s) for s in spans):
                        maps_to.setdefault(p["entity"], set()).add(inst)
            for g in events:
                cue = (g["cue_start"], g["cue_end"])
                hits = [q for q in quotes if sc.overlap(q[0], cue)]
                tag = "say" if g.get("say_cue") else "cog"
                if not hits:
                    note("missed")
                    lines.append(f"  - {tag} spk={g.get('speaker_text')!s:24s} "
                                 f"{ctx(text, *cue)}")
                    continue
                if g["speaker_instance"] is None:
                    continue
                spans = mentions.get(g["speaker_instance"], []) + [(g["speaker_start"],
                                                                     g["speaker_end"])]
                right = any((spk and any(sc.overlap(spk, s) for s in spans)) or
                            (ent is not None and g["speaker_instance"] in maps_to.get(ent, ()))
                            for _, spk, ent in hits)
                if not right:
                    note("speaker " + tag)
                    said = [f"[{text[s[0]:s[1]]}]" if s else str(e) for _, s, e in hits]
                    lines.append(f"  ~ {tag} speaker gold [{g.get('speaker_text')}] pred "
                                 f"{' '.join(said)}  {ctx(text, *cue)}")
            for anchor, spk, ent in quotes:
                if not any(sc.overlap(anchor, (g["cue_start"], g["cue_end"])) for g in events):
                    note("spurious")
                    lines.append(f"  + {ctx(text, *anchor)}")
        if lines:
            print(f"{doc_id} (published {doc.get('published')})")
            print("\n".join(lines))
    print("totals: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


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
