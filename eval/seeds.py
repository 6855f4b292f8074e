#!/usr/bin/env python3
"""Checks storyline against ../shared/seeds/GOLD.md, one line per check: PASS / FAIL.

usage: eval/seeds.py [SEEDS_DIR] [--storyline BIN] [--json]

The expectations are read from SEEDS_DIR/GOLD.md at run time (titles, line ranges, boilerplate
strings, segments, entities, quotes, dates); nothing from the seeds is stored in this repository.
The script ingests the two pages into a fresh store the way a user would (each with its
publication date given on the command line), re-ingests one page and a copy of it with other
boilerplate, and reads everything back through `storyline export` and `storyline compare`.
Exit status is 0 whatever the score (the score is the output); 2 when the run itself fails.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_SEEDS = os.path.normpath(os.path.join(ROOT, "..", "shared", "seeds"))
DEFAULT_BIN = os.path.join(ROOT, "build", "src", "cli", "storyline")

# The publication date of each page, as GOLD.md states it in prose: "`000` 2025-04-26".
DATE_RE = re.compile(r"`(\d{3})`\s+(\d{4}-\d{2}-\d{2})")


def norm(text):
    """Compare text loosely: NFKC, straight quotes, collapsed spaces, case-folded."""
    text = unicodedata.normalize("NFKC", text)
    for a, b in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"')):
        text = text.replace(a, b)
    return " ".join(text.split()).casefold()


class Checks:
    def __init__(self):
        self.rows = []

    def check(self, section, name, ok, detail=""):
        self.rows.append({"section": section, "check": name, "pass": bool(ok), "detail": detail})

    def summary(self):
        passed = sum(r["pass"] for r in self.rows)
        return passed, len(self.rows)


def run(bin_path, db, *args, stdin=None):
    cmd = [bin_path, "--db", db, "--quiet", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, input=stdin, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.strip()}")
    return proc.stdout


def run_json(bin_path, db, *args):
    return json.loads(run(bin_path, db, "--json", *args))


def gold_sections(gold):
    sections = {}
    current = None
    for line in gold.splitlines():
        m = re.match(r"##\s+(\d+)\.", line)
        if m:
            current = int(m.group(1))
            sections[current] = []
        elif current is not None:
            sections[current].append(line)
    return {k: "\n".join(v) for k, v in sections.items()}


def seed_files(seeds_dir):
    files = {}
    for name in sorted(os.listdir(seeds_dir)):
        if name.endswith(".txt"):
            files[name[:3]] = os.path.join(seeds_dir, name)
    return files


def lines_of(path):
    with open(path, encoding="utf-8") as f:
        return f.read().split("\n")


def parse_ranges(text):
    """'lines 1–3 and 5–16' -> [1,2,3,5,...,16]; 'lines 6–28' -> [6..28]."""
    out = []
    for a, b in re.findall(r"(\d+)\s*[–-]\s*(\d+)", text):
        out.extend(range(int(a), int(b) + 1))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seeds", nargs="?", default=DEFAULT_SEEDS)
    parser.add_argument("--storyline", default=os.environ.get("STORYLINE_BIN", DEFAULT_BIN))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    gold = open(os.path.join(args.seeds, "GOLD.md"), encoding="utf-8").read()
    sections = gold_sections(gold)
    files = seed_files(args.seeds)
    dates = dict(DATE_RE.findall(gold))
    checks = Checks()

    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "seeds.db")
        for page_id in sorted(files, key=lambda k: dates.get(k, "")):
            run(args.storyline, db, "ingest", files[page_id], "--published", dates.get(page_id, ""))
        export = run_json(args.storyline, db, "export")
        articles = export.get("articles", [])
        by_page = {}
        for a in articles:
            by_page.setdefault(a["page_id"][:3], []).append(a)
        for segs in by_page.values():
            segs.sort(key=lambda a: a.get("segment", 0))

        check_extraction(checks, sections.get(1, ""), files, by_page)
        check_segments(checks, sections.get(2, ""), files, by_page)
        check_stories(checks, args.storyline, db, tmp, files, dates, export, by_page)
        check_entities(checks, sections.get(4, ""), export)
        check_quotes(checks, sections.get(5, ""), by_page)
        check_dates(checks, sections.get(6, ""), by_page, dates)
        check_compare(checks, args.storyline, db, by_page)

    passed, total = checks.summary()
    if args.json:
        print(json.dumps({"passed": passed, "total": total, "checks": checks.rows}, indent=2,
                         ensure_ascii=False))
    else:
        for r in checks.rows:
            mark = "PASS" if r["pass"] else "FAIL"
            detail = f"  ({r['detail']})" if r["detail"] and not r["pass"] else ""
            print(f"{mark}  §{r['section']} {r['check']}{detail}")
        print(f"\n{passed}/{total} GOLD.md checks pass")
    return 0


def body_lines(article):
    return [norm(l) for l in article.get("text", "").split("\n") if l.strip()]


def check_extraction(checks, text, files, by_page):
    # "`003`: title "…" (lines 1 and 4 …). Body = lines 6–28. None of "0 0", … in the body."
    for block in re.split(r"\n- ", text):
        m = re.match(r"`(\d{3})`", block.strip("- \n"))
        if not m:
            continue
        pid = m.group(1)
        segs = by_page.get(pid, [])
        main = segs[0] if segs else {}
        lines = lines_of(files[pid]) if pid in files else []
        body = norm(main.get("text", ""))
        blines = body_lines(main)
        title_m = re.search(r'title "([^"]+)"', block)
        if title_m:
            want = title_m.group(1)
            checks.check(1, f"{pid} title", norm(main.get("title", "")) == norm(want),
                         f"got {main.get('title', '')!r}")
            checks.check(1, f"{pid} title not repeated in body", norm(want) not in body)
        if "no title line" in block:
            checks.check(1, f"{pid} has no title", main.get("title", "") == "",
                         f"got {main.get('title', '')!r}")
        range_m = re.search(r"[Bb]ody[^=]*=\s*lines ([^.;]*?)(?:;|\.|$)", block)
        if range_m:
            wanted = parse_ranges(range_m.group(1))
            missing = []
            for n in wanted:
                line = lines[n - 1] if 0 < n <= len(lines) else ""
                if not line.strip():
                    continue
                l = norm(line)
                if l not in body and not any(b and b in l for b in blines[:1]):
                    missing.append(n)
            checks.check(1, f"{pid} body holds lines {range_m.group(1).strip()}", not missing,
                         f"missing lines {missing}")
            # Lines of the page not in the wanted set must not be in the body (boilerplate).
            extra = [n for n in range(1, len(lines) + 1)
                     if n not in wanted and lines[n - 1].strip()
                     and norm(lines[n - 1]) in blines and n <= max(wanted)]
            checks.check(1, f"{pid} body holds nothing else up to line {max(wanted)}", not extra,
                         f"extra lines {extra}")
        none_m = re.search(r"None of (.*?) in the body", block, re.S)
        if none_m:
            for s in re.findall(r'"([^"]+)"', none_m.group(1)):
                present = any(norm(s) == b or (len(s) > 4 and norm(s) in b) for b in blines)
                checks.check(1, f"{pid} boilerplate {s!r} not in body", not present)
        dl = re.search(r'"(\w[\w ]*):" opening line (\d+) is a dateline', block)
        if dl:
            checks.check(1, f"{pid} dateline {dl.group(1)!r}", main.get("dateline", "") == dl.group(1),
                         f"got {main.get('dateline', '')!r}")
            checks.check(1, f"{pid} dateline not in body", not body.startswith(norm(dl.group(1) + ":")))
        credit = re.search(r'line (\d+) "([^"]+)" is a photo credit', block)
        if credit:
            checks.check(1, f"{pid} photo credit not in body", norm(credit.group(2)) not in blines)


def check_segments(checks, text, files, by_page):
    m = re.search(r"`(\d{3})` holds (\w+) stories", text)
    if not m:
        return
    pid = m.group(1)
    segs = by_page.get(pid, [])
    rows = [r for r in text.splitlines() if r.startswith("|") and not r.startswith("|---")][1:]
    checks.check(2, f"{pid} split into {len(rows)} segments", len(segs) == len(rows),
                 f"got {len(segs)}")
    lines = lines_of(files[pid])
    for i, row in enumerate(rows):
        cells = [c.strip() for c in row.strip("|").split("|")]
        name, line_spec, kicker, complete = cells[0], cells[1], cells[2], cells[3]
        seg = segs[i] if i < len(segs) else {}
        want_truncated = complete.startswith("no")
        checks.check(2, f"segment {i} ({name[:40]}) truncated={want_truncated}",
                     bool(seg.get("truncated")) == want_truncated, f"got {seg.get('truncated')}")
        if kicker.startswith("—"):
            checks.check(2, f"segment {i} has no kicker", not seg.get("kicker"),
                         f"got {seg.get('kicker')!r}")
        elif kicker:
            checks.check(2, f"segment {i} kicker {kicker!r}", seg.get("kicker", "") == kicker,
                         f"got {seg.get('kicker', '')!r}")
            checks.check(2, f"segment {i} kicker not in body",
                         not norm(seg.get("text", "")).startswith(norm(kicker)))
        nums = [int(n) for n in re.findall(r"\d+", line_spec)]
        if len(nums) == 1:
            line = lines[nums[0] - 1]
            if kicker and not kicker.startswith("—"):
                line = line.split(":", 1)[1] if ":" in line else line
            whole = norm(seg.get("title", "") + " " + seg.get("text", ""))
            tail = norm(line)[-80:]
            checks.check(2, f"segment {i} holds line {nums[0]}", tail in whole)


def find_story(export, article_id):
    for s in export.get("stories", []):
        if article_id in [a if isinstance(a, int) else a.get("id") for a in s.get("articles", [])]:
            return s
    return None


def check_stories(checks, bin_path, db, tmp, files, dates, export, by_page):
    arts = export.get("articles", [])
    checks.check(3, "no duplicates among the seed articles", not export.get("duplicates"),
                 f"{len(export.get('duplicates', []))} duplicates")
    # Re-ingest 003, then a copy with other boilerplate: nothing new stored.
    pid = "003" if "003" in files else sorted(files)[-1]
    summary = json.loads(run(bin_path, db, "--json", "ingest", files[pid], "--published",
                             dates.get(pid, "")))
    checks.check(3, f"re-ingesting {pid} stores nothing", summary["articles"] == 0 and
                 summary["duplicates"] == 0, json.dumps({k: summary[k] for k in ("articles", "duplicates", "pages_known")}))
    lines = lines_of(files[pid])
    copy = ["Share this story", "Follow us on social media"]
    copy += [l if l.strip() not in ("0 0",) else "12 4" for l in lines]
    copy += ["Related articles", "Sign up for our newsletter"]
    copy_path = os.path.join(tmp, f"{pid}_copy.txt")
    with open(copy_path, "w", encoding="utf-8") as f:
        f.write("\n".join(copy))
    summary = json.loads(run(bin_path, db, "--json", "ingest", copy_path, "--published",
                             dates.get(pid, "")))
    checks.check(3, f"a copy of {pid} with other boilerplate is a duplicate",
                 summary["articles"] == 0 and summary["duplicates"] >= 1,
                 json.dumps({k: summary[k] for k in ("articles", "duplicates")}))

    main0 = by_page.get("000", [{}])[0]
    main3 = by_page.get("003", [{}])[0]
    sl0, sl3 = main0.get("storyline_id"), main3.get("storyline_id")
    checks.check(3, "000-main and 003 in one storyline", sl0 is not None and sl0 == sl3,
                 f"storylines {sl0} and {sl3}")
    checks.check(3, "000-main and 003 are distinct events", main0.get("story_id") != main3.get("story_id"),
                 f"stories {main0.get('story_id')} and {main3.get('story_id')}")
    storyline = next((s for s in export.get("storylines", []) if s.get("id") == sl0), {})
    order = [e.get("id") for e in storyline.get("timeline", [])]
    ok = main3.get("story_id") in order and main0.get("story_id") in order and \
        order.index(main3.get("story_id")) < order.index(main0.get("story_id"))
    checks.check(3, "timeline: 003's meeting (Apr 11) before 000's (Apr 25)", ok, f"timeline {order}")
    teasers = by_page.get("000", [])[1:]
    joined = [t.get("key") for t in teasers if t.get("storyline_id") == sl0]
    checks.check(3, "no teaser in that storyline", not joined, f"joined: {joined}")


ARROW = "\u2190"


def entity_index(export):
    index = []
    for e in export.get("entities", []):
        names = {norm(e.get("name", ""))} | {norm(a) for a in e.get("aliases", [])}
        index.append((e, names))
    return index


def check_entities(checks, text, export):
    index = entity_index(export)
    all_names = set().union(*[n for _, n in index]) if index else set()
    # The section is prose: "People: A ← a1, a2; B ← b; C. Teasers: … Places: … Not entities: …",
    # with items running across lines. Join it, then cut at each label.
    flat = " ".join(l.strip() for l in text.splitlines() if l.strip())
    labels = list(re.finditer(r"(People|Teasers|Places|Organisations|Not entities):", flat))
    for n, m in enumerate(labels):
        body = flat[m.end():labels[n + 1].start() if n + 1 < len(labels) else len(flat)]
        if m.group(1) == "Not entities":
            for word in re.findall(r'"([^"]+)"', body):
                checks.check(4, f"not an entity: {word}", norm(word) not in all_names)
            continue
        separator = ";" if m.group(1) in ("People", "Teasers") else ","
        for item in body.strip().rstrip(".").split(separator):
            item = item.strip().rstrip(".")
            if not item:
                continue
            if ARROW in item:
                canon, variants = item.split(ARROW, 1)
                canon = canon.strip()
                variants = [re.sub(r"\s*\(.*?\)", "", v).strip() for v in variants.split(",")]
                variants = [v for v in variants if v]
                entry = next((e for e, names in index if norm(canon) in names), None)
                names = set() if entry is None else \
                    {norm(entry.get("name", ""))} | {norm(a) for a in entry.get("aliases", [])}
                missing = [v for v in variants if norm(v) not in names]
                checks.check(4, f"entity {canon} with aliases", entry is not None and not missing,
                             "not found" if entry is None else f"aliases missing {missing}")
            else:
                for name in item.split(","):
                    # "Chinese Communist Party (CCP)": the name and its acronym, one entity.
                    acronym = re.search(r"\(([^)]*)\)", name)
                    name = re.sub(r"\s*\(.*?\)", "", name).strip()
                    if not name:
                        continue
                    entry = next((e for e, names in index if norm(name) in names), None)
                    ok = entry is not None
                    detail = "not found"
                    if ok and acronym and re.fullmatch(r"[A-Z]{2,6}", acronym.group(1)):
                        names = {norm(entry.get("name", ""))} | {norm(a) for a in entry.get("aliases", [])}
                        ok = norm(acronym.group(1)) in names
                        detail = f"acronym {acronym.group(1)} not an alias"
                    checks.check(4, f"entity {name}", ok, detail)


def check_quotes(checks, text, by_page):
    quotes = []
    for pid, segs in by_page.items():
        for a in segs:
            for q in a.get("analysis", {}).get("quotes", []):
                quotes.append((pid, q))
    for line in text.splitlines():
        if not line.startswith("- "):
            continue
        if line.startswith("- Not quotes"):
            for term in re.findall(r"\"([^\"]+)\"", line):
                bad = [q for _, q in quotes if norm(q.get("text", "")).strip(" .,") == norm(term) and q.get("speaker")]
                checks.check(5, f"scare quote {term!r} has no speaker", not bad)
            continue
        if line.startswith("- A pronoun speaker"):
            m = re.search(r"“([^”]+)”", line) or re.search(r'"([^"]+)"\s*is', line)
            who = re.search(r"is (\w+)'s", line)
            if m and who:
                ok = any(norm(m.group(1)).strip(" .") in norm(q.get("text", "")) and
                         who.group(1).lower() in q.get("speaker", "").lower() for _, q in quotes)
                checks.check(5, f"pronoun speaker resolved to {who.group(1)}", ok)
            continue
        m = re.match(r"- ([^—]+?) — (.*)$", line)
        if not m:
            continue
        speaker = m.group(1).strip()
        for words in re.findall(r'"([^"]+)"', m.group(2)):
            want = norm(words).strip(" .,")
            probe = want[:50]
            hit = [q for _, q in quotes if probe and (probe in norm(q.get("text", "")) or
                   norm(q.get("text", "")).strip(" .,") in want and len(norm(q.get("text", ""))) > 3)]
            ok = any(q.get("speaker", "") == speaker for q in hit)
            got = sorted({q.get("speaker", "") for q in hit})
            checks.check(5, f"{speaker}: \"{words[:45]}\"", ok,
                         "quote not found" if not hit else f"speaker {got}")


def check_dates(checks, text, by_page, dates):
    current = None
    for line in text.splitlines():
        m = re.match(r"- (\d{3}):", line) or re.match(r"- (Teaser \d+):", line)
        if m:
            current = m.group(1)
        if current is None or not current[:1].isdigit():
            continue
        segs = by_page.get(current, [])
        found = {}
        for d in (segs[0].get("analysis", {}).get("dates", []) if segs else []):
            found.setdefault(norm(d.get("text", "")), set()).add(d.get("value", ""))
        for phrase, value in re.findall(r'"([^"]+)"\s*=\s*(\d{4}(?:-\d{2}){0,2})', line):
            p = norm(phrase)
            ok = any((p in t or t in p) and value in vals for t, vals in found.items())
            checks.check(6, f"{current} date \"{phrase}\" = {value}", ok,
                         f"found {sorted((t, sorted(v)) for t, v in found.items() if p in t or t in p)}")
    # Figures: checked as (page, kind, value) facts the prose states.
    figure_facts = [("000", "count", 12, "at least"), ("000", "ordinal", 4, ""),
                    ("003", "money", 21e9, ""), ("003", "count", 19, ""), ("003", "count", 9, ""),
                    ("003", "duration", 4, ""), ("003", "ordinal", 3, "")]
    for pid, kind, value, qualifier in figure_facts:
        figs = [f for a in by_page.get(pid, [])[:1] for f in a.get("analysis", {}).get("figures", [])]
        ok = any(f.get("kind") == kind and abs(f.get("value", 0) - value) < 1e-6 * max(1, value)
                 and (not qualifier or f.get("qualifier") == qualifier) for f in figs)
        checks.check(6, f"{pid} figure {kind} {value:g} {qualifier}".strip(), ok)
    teaser = by_page.get("000", [])
    figs = [f for a in teaser[1:] for f in a.get("analysis", {}).get("figures", [])]
    checks.check(6, "teaser figure percent 5", any(f.get("kind") == "percent" and f.get("value") == 5 for f in figs))


def check_compare(checks, bin_path, db, by_page):
    main0 = by_page.get("000", [{}])[0]
    sl = main0.get("storyline_id")
    if not sl:
        checks.check(7, "cross-source view of the storyline", False, "no storyline")
        return
    view = run_json(bin_path, db, "compare", str(sl))
    shared = [f for f in view.get("facts", []) if f.get("shared")]
    labels = " | ".join(norm(f.get("label", "")) for f in shared)
    checks.check(7, "both outlets reported in the view", len(view.get("sources", [])) >= 2,
                 f"sources {view.get('sources')}")
    for who in ("dmitriev", "witkoff", "putin", "trump", "zelensky"):
        checks.check(7, f"shared fact: {who}", who in labels)
    conflicts = view.get("conflicts", [])
    ordinal = [c for c in conflicts if "different event" in c.get("likely_reason", "")]
    checks.check(7, "third vs fourth meeting flagged as different events", bool(ordinal),
                 f"{len(conflicts)} conflicts")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (RuntimeError, OSError, json.JSONDecodeError) as error:
        print(f"seeds.py: {error}", file=sys.stderr)
        sys.exit(2)
