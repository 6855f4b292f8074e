#!/usr/bin/env python3
"""Runs storyline's ingest readers over the peers' own test inputs and checks what they read.

usage: eval/ingest.py [BENCH_DIR] [--dump BIN] [--json] [--timeout S] [--no-truncations]
                      [--failures N]

BENCH_DIR (default ../shared/bench/ingest) holds warcio/, feedparser/, crawler-commons/ and
jsontestsuite/ with their expectations.jsonl, and _reference/warc_warcio.jsonl. The script runs
`ingest_dump` (src/ingest, a test-only program printing what the readers see as JSON Lines) on
every input, each under a time limit, and prints pass rates per group:
  crash/hang   every input, and (WARC) every truncation of every WARC file
  warc         record lists (type, target URI, date, offset) equal warcio's for ok/quirk files,
               and their SHA-1 digests pass (no digest warning);
               every HTTP 200 HTML response is one page with URL, UTC date, a decoded body;
               malformed files: every record warcio read is kept and an error/warning names the
               file and byte offset (a digest failure for the digest cases); ARC: a clear
               "unsupported format" problem
  feeds        feedparser's structured expectations on the fields a news pipeline uses (feed
               title/link/language; entry title, link, id, published, updated, summary/content,
               author; plus bozo), per group/subgroup; ill-formed and encoding cases: no crash
  sitemaps     crawler-commons' expected types, counts and news fields
  json         JSONTestSuite: y_ accepted, n_ rejected with a per-line error, i_ no crash
Nothing from the benchmark is stored in the repository; it is read here at run time.
Exit status 0 whatever the score; 2 when the run itself fails.
"""
import argparse
import collections
import concurrent.futures
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_BENCH = os.path.normpath(os.path.join(ROOT, "..", "shared", "bench", "ingest"))
DEFAULT_DUMP = os.path.join(ROOT, "build", "src", "ingest", "ingest_dump")

# feedparser field paths -> (dump line kind, dump field). Only these are scored: the fields a
# news pipeline uses (README table). "bozo" is scored where an expectation states it.
FEED_FIELDS = {
    ("feed", "title"): "title",
    ("feed", "title_detail", "value"): "title",
    ("feed", "link"): "link",
    ("feed", "language"): "language",
}
ENTRY_FIELDS = {
    ("title",): "title",
    ("title_detail", "value"): "title",
    ("link",): "link",
    ("id",): "id",
    ("guid",): "id",
    ("published",): "published",
    ("updated",): "updated",
    ("author",): "author",
    ("summary",): "summary",
    ("description",): "summary",
    ("summary_detail", "value"): "summary",
}


class Runner:
    def __init__(self, dump, timeout):
        self.dump = dump
        self.timeout = timeout
        self.crashes = []
        self.hangs = []
        self.runs = 0

    def run(self, path, *extra):
        """Dump lines for one file, or None after a crash or hang (recorded)."""
        self.runs += 1
        cmd = [self.dump, *extra, path]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=self.timeout)
        except subprocess.TimeoutExpired:
            self.hangs.append(path)
            return None
        if proc.returncode != 0:
            self.crashes.append(f"{path} (exit {proc.returncode}: "
                                f"{proc.stderr.decode('utf-8', 'replace')[-200:].strip()})")
            return None
        lines = []
        for raw in proc.stdout.decode("utf-8", "replace").splitlines():
            if raw.strip():
                lines.append(json.loads(raw))
        return lines


def by_kind(lines, kind):
    return [line for line in lines if line.get("kind") == kind]


def read_jsonl(path):
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


class Score:
    def __init__(self):
        self.groups = collections.OrderedDict()
        self.failures = collections.defaultdict(list)

    def add(self, group, ok, detail=""):
        passed, total = self.groups.get(group, (0, 0))
        self.groups[group] = (passed + bool(ok), total + 1)
        if not ok:
            self.failures[group].append(detail)


# --- WARC ------------------------------------------------------------------------------------

def check_warc(bench, runner, score, truncations):
    reference = {r["file"]: r for r in read_jsonl(os.path.join(bench, "_reference",
                                                                "warc_warcio.jsonl"))}
    for exp in read_jsonl(os.path.join(bench, "warcio", "expectations.jsonl")):
        rel = exp["file"]
        path = os.path.join(bench, rel)
        cls = exp["class"]
        lines = runner.run(path)
        if lines is None:
            score.add("warc/" + cls, False, rel + ": crash or hang")
            continue
        records = by_kind(lines, "warc_record")
        pages = by_kind(lines, "page")
        problems = by_kind(lines, "problem") + by_kind(lines, "warning")
        ref = reference.get(rel, {"records": []})
        ref_records = ref["records"]
        if cls.startswith("out-of-scope"):
            ok = any("unsupported format" in p["message"] for p in problems) and not records
            score.add("warc/arc-refused", ok, rel)
            continue
        mine = [(r["type"], r["target_uri"] or None, r["date"], r["offset"]) for r in records]
        theirs = [(r["type"], r["target_uri"], r["date"], r["offset"]) for r in ref_records]
        if cls in ("ok", "quirk"):
            score.add("warc/record-lists", mine == theirs,
                      f"{rel}: {mine} != {theirs}")
            # Their digests pass: no digest warning.
            bad = [p["origin"] for p in problems if p.get("problem_kind") == "warc-digest"]
            score.add("warc/digests-pass", not bad, f"{rel}: digest failures {bad[:3]}")
        else:
            kept = [t[:3] for t in theirs]
            mine3 = [m[:3] for m in mine]
            score.add("warc/malformed-keeps-good-records", all(k in mine3 for k in kept),
                      f"{rel}: {kept} not all in {mine3}")
            if "digest" in exp["expect"]:
                # A digest mismatch is a warning naming the record's offset.
                failed = [p for p in problems
                          if p.get("problem_kind") == "warc-digest" and "@" in p["origin"]]
                score.add("warc/malformed-error-with-offset", bool(failed),
                          f"{rel}: no digest failure with a byte offset")
            else:
                located = [p for p in problems if "@" in p["origin"]]
                score.add("warc/malformed-error-with-offset", bool(located),
                          f"{rel}: no error or warning with a byte offset")
        # Pages: every page comes from a response record, with URL, UTC date and a body that
        # is neither HTTP headers, chunk sizes nor compressed bytes.
        responses = {(r["target_uri"], r["date"]) for r in records if r["type"] == "response"}
        for page in pages:
            head = page["head"]
            ok = ((page["url"], page["published"]) in responses and page["published"].endswith("Z")
                  and not head.startswith("HTTP/") and "\x1f\x8b" not in head[:2]
                  and not head.split("\r\n", 1)[0].strip().isalnum() and page["bytes"] > 0)
            score.add("warc/pages-well-formed", ok, f"{rel}: page {page['id']} {head[:40]!r}")
        http_200 = [r for r in ref_records if r["type"] == "response" and r.get("http_status") == "200"]
        expect_html = "Example Domain" in exp["expect"] or "<!doctype html>" in exp["expect"]
        if expect_html:
            needle = "Example Domain" if "Example Domain" in exp["expect"] else "<!doctype html>"
            ok = len(pages) == len(http_200) and all(needle in p["content"] for p in pages)
            score.add("warc/pages-expected", ok, f"{rel}: {len(pages)} pages for {len(http_200)}")
        if truncations:
            result = runner.run(path, "--truncations")
            score.add("crash/warc-truncations", result is not None, rel)


# --- Feeds -----------------------------------------------------------------------------------

def resolve(path, feed, items):
    """The dump's value for a feedparser path, or KeyError when the path is not scored."""
    if path == ("bozo",):
        return feed.get("bozo", True)
    if path[0] == "feed":
        field = FEED_FIELDS.get(tuple(path))
        if field is None:
            raise KeyError(path)
        return feed.get(field) or None
    if path[0] == "entries" and len(path) >= 3 and isinstance(path[1], int):
        rest = tuple(path[2:])
        field = None
        if rest in ENTRY_FIELDS:
            field = ENTRY_FIELDS[rest]
        elif len(rest) == 3 and rest[0] == "content" and rest[2] == "value":
            field = "content"
        if field is None:
            raise KeyError(path)
        if path[1] >= len(items):
            return None
        return items[path[1]].get(field) or None
    raise KeyError(path)


def op_holds(op, actual, value):
    if op == "==":
        return (actual or "") == (value or "") if isinstance(value, (str, type(None))) else actual == value
    if op == "!=":
        return actual != value
    if op == "truthy":
        return bool(actual)
    if op == "falsy":
        return not actual
    if op == "in":
        return actual is not None and value in actual
    if op == "not contains":
        return actual is None or value not in actual
    if op == "is":
        return actual is value or (value is None and not actual)
    raise KeyError(op)


def check_feeds(bench, runner, score, jobs):
    exps = read_jsonl(os.path.join(bench, "feedparser", "expectations.jsonl"))
    paths = [os.path.join(bench, "feedparser", e["file"]) for e in exps]
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        outputs = list(pool.map(runner.run, paths))
    not_scored = 0
    needs_http = []
    for exp, lines in zip(exps, outputs):
        group = exp["group"] + ("/" + exp["subgroup"] if exp.get("subgroup") else "")
        if lines is None:
            score.add("feeds/" + group, False, exp["file"] + ": crash or hang")
            continue
        feeds = by_kind(lines, "feed")
        feed = feeds[0] if feeds else {"bozo": True}
        items = by_kind(lines, "item")
        if exp["group"] in ("illformed", "encoding"):
            # Never a crash; something read, with a warning when the feed is broken.
            score.add("feeds/" + exp["group"] + "-no-crash", True, exp["file"])
        checks = []
        for check in exp.get("structured") or []:
            path = tuple(check.get("path", ()))
            if not path:
                continue
            try:
                actual = resolve(path, feed, items)
                checks.append(op_holds(check["op"], actual, check.get("value")))
            except KeyError:
                continue
        scored = [c for c, check in zip(checks, exp.get("structured") or []) if True]
        field_checks = [check for check in exp.get("structured") or []
                        if check.get("path") and tuple(check["path"]) != ("bozo",)]
        has_field = False
        for check in field_checks:
            try:
                resolve(tuple(check["path"]), feed, items)
                has_field = True
            except KeyError:
                pass
        if not has_field or exp["group"] not in ("wellformed", "entities"):
            not_scored += 1
            continue
        if "http_headers" in exp:
            # feedparser's harness serves these over HTTP: the document URL, Content-Location
            # and Content-Language come from the response, which a file does not carry.
            needs_http.append(exp["file"])
            continue
        score.add("feeds/" + group, all(scored),
                  f"{exp['file']}: {exp['expect'][:160]} | got feed={ {k: feed.get(k) for k in ('title', 'link', 'bozo')} } "
                  f"item0={ {k: items[0].get(k) for k in ('title', 'link', 'summary', 'content')} if items else None}")
    return not_scored, len(needs_http)


# --- Sitemaps --------------------------------------------------------------------------------

def check_sitemaps(bench, runner, score):
    for exp in read_jsonl(os.path.join(bench, "crawler-commons", "expectations.jsonl")):
        rel = exp["file"]
        lines = runner.run(os.path.join(bench, "crawler-commons", rel))
        if lines is None:
            score.add("sitemaps", False, rel + ": crash or hang")
            continue
        want = exp.get("expected", {})
        pointers = by_kind(lines, "pointer")
        sitemap = (by_kind(lines, "sitemap") or [{}])[0]
        urls = by_kind(lines, "url")
        kinds = {p["pointer_kind"] for p in pointers}
        got_type = sitemap.get("type") or ("text" if "url-list" in kinds else None)
        feed = by_kind(lines, "feed")
        if feed:
            got_type = "atom" if feed[0]["version"].startswith("atom") else "rss"
        problems = []
        if "type" in want and want["type"] != got_type:
            problems.append(f"type {got_type} != {want['type']}")
        if "urls" in want and want["urls"] != len(pointers):
            problems.append(f"urls {len(pointers)} != {want['urls']}")
        if "sitemaps" in want and want["sitemaps"] != len(pointers):
            problems.append(f"sitemaps {len(pointers)} != {want['sitemaps']}")
        if "first_changefreq" in want and (not urls or urls[0]["changefreq"] != want["first_changefreq"]):
            problems.append("first changefreq")
        if "first_url" in want and (not pointers or pointers[0]["url"] != want["first_url"]):
            problems.append("first url")
        if "urls_in_order" in want and [p["url"] for p in pointers] != want["urls_in_order"]:
            problems.append(f"urls in order {[p['url'] for p in pointers]}")
        if "news" in want:
            for i, news in enumerate(want["news"]):
                if i >= len(urls):
                    problems.append("news missing")
                    break
                u = urls[i]
                for key, field in (("name", "news_name"), ("language", "news_language"),
                                   ("title", "news_title")):
                    if key in news and (news[key] or "") != u[field]:
                        problems.append(f"news {key} {u[field]!r} != {news[key]!r}")
                if "publication_date" in news and news["publication_date"]:
                    if not news["publication_date"].startswith(u["news_publication_date"][:10]):
                        problems.append("news date")
        if "news_year" in want:
            if not urls or not all(u["news_name"] and u["news_publication_date"].startswith(
                    str(want["news_year"])) for u in urls):
                problems.append("news year/name")
        score.add("sitemaps", not problems, f"{rel}: {'; '.join(problems)}")


# --- JSON ------------------------------------------------------------------------------------

def check_json(bench, runner, score, jobs):
    exps = read_jsonl(os.path.join(bench, "jsontestsuite", "expectations.jsonl"))
    paths = [os.path.join(bench, "jsontestsuite", e["file"]) for e in exps]
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        outputs = list(pool.map(lambda p: runner.run(p, "--format", "jsonl"), paths))
    for exp, lines in zip(exps, outputs):
        name = os.path.basename(exp["file"])
        if lines is None:
            score.add("json/no-crash", False, name)
            continue
        score.add("json/no-crash", True, name)
        syntax = [p for p in by_kind(lines, "problem") if p["problem_kind"] in ("jsonl-syntax", "empty")]
        rejected = bool(syntax)
        if name.startswith("y_"):
            score.add("json/must-accept", not rejected, f"{name}: {syntax[:1]}")
        elif name.startswith("n_"):
            # A per-line error names the line ("file:1"); an input with no JSON at all is one
            # "empty input" error for the file.
            named = all(":" in p["origin"].rsplit("/", 1)[-1] or p["problem_kind"] == "empty"
                        for p in syntax)
            score.add("json/must-reject", rejected and named, name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("bench", nargs="?", default=DEFAULT_BENCH)
    parser.add_argument("--dump", default=DEFAULT_DUMP)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--timeout", type=float, default=20.0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-truncations", action="store_true")
    parser.add_argument("--failures", type=int, default=0, help="print up to N failures per group")
    args = parser.parse_args()
    if not os.path.exists(args.dump):
        print(f"ingest_dump not found at {args.dump}; build the ingest_dump target", file=sys.stderr)
        return 2
    runner = Runner(args.dump, args.timeout)
    score = Score()
    check_warc(args.bench, runner, score, not args.no_truncations)
    not_scored, needs_http = check_feeds(args.bench, runner, score, args.jobs)
    check_sitemaps(args.bench, runner, score)
    check_json(args.bench, runner, score, args.jobs)
    score.add("crash/all-inputs", not runner.crashes and not runner.hangs,
              f"crashes {runner.crashes[:5]} hangs {runner.hangs[:5]}")
    rows = [{"group": g, "passed": p, "total": t, "rate": round(p / t, 4) if t else None}
            for g, (p, t) in score.groups.items()]
    if args.json:
        print(json.dumps({"groups": rows, "runs": runner.runs, "crashes": runner.crashes,
                          "hangs": runner.hangs, "feeds_not_scored": not_scored,
                          "feeds_need_http_context": needs_http}, indent=1))
        return 0
    for row in rows:
        print(f"{row['group']:<40} {row['passed']:>5}/{row['total']:<5} {100 * (row['rate'] or 0):6.1f}%")
        for detail in score.failures[row["group"]][:args.failures]:
            print("    FAIL", detail[:400])
    print(f"runs {runner.runs}, crashes {len(runner.crashes)}, hangs {len(runner.hangs)}, "
          f"feed expectations not on scored fields: {not_scored}, needing an HTTP response "
          f"(document URL, Content-Location/-Language; not scored): {needs_http}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
