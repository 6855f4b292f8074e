#!/usr/bin/env python3
"""End-to-end tests: the storyline binary on the bundled examples and on bad input.

usage: tests/e2e_test.py --storyline BIN [unittest args]
"""
import argparse
import gzip
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "examples")
BIN = os.path.join(ROOT, "build", "src", "cli", "storyline")


def storyline(db, *args, stdin=None, check=True, timeout=300):
    proc = subprocess.run([BIN, "--db", db, *args], capture_output=True, input=stdin,
                          timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"storyline {' '.join(args)} exited {proc.returncode}: "
                             f"{proc.stderr.decode(errors='replace')}")
    return proc


def as_json(proc):
    return json.loads(proc.stdout.decode("utf-8"))


class ExamplesEndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.db = os.path.join(cls.tmp.name, "examples.db")
        cls.summary = as_json(storyline(cls.db, "--json", "ingest", os.path.join(EXAMPLES, "pages"),
                                        "--dates", os.path.join(EXAMPLES, "published.tsv")))
        cls.export = as_json(storyline(cls.db, "export"))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_every_page_is_read_without_problems(self):
        self.assertGreaterEqual(self.summary["pages"], 10)
        self.assertEqual(self.summary["pages_failed"], 0, self.summary["problems"])
        self.assertEqual(self.summary["problems"], [])

    def test_syndicated_copy_is_linked_not_stored(self):
        self.assertGreaterEqual(self.summary["duplicates"], 1)
        keys = {a["key"] for a in self.export["articles"]}
        for dup in self.export["duplicates"]:
            self.assertNotIn(dup["key"], keys)
            self.assertIn(dup["canonical_id"], {a["id"] for a in self.export["articles"]})

    def test_multi_story_page_is_split(self):
        teasers = [a for a in self.export["articles"] if a["segment"] > 0]
        self.assertGreaterEqual(len(teasers), 2)
        self.assertTrue(any(a["truncated"] for a in teasers))
        for a in teasers:
            if a["kicker"]:
                self.assertTrue(a["kicker"].isupper())
                self.assertFalse(a["text"].startswith(a["kicker"]))

    def test_scraped_boilerplate_is_gone(self):
        for a in self.export["articles"]:
            lines = [l.strip() for l in a["text"].split("\n")]
            self.assertNotIn("0 0", lines)
            for line in lines:
                self.assertFalse(re.match(r"^(•\s*)?Tags:", line), line)
                self.assertNotIn("login", line.lower().replace("log in", "login")[:40]
                                 if len(line) < 60 else "", line)
            if a["title"]:
                self.assertNotIn(a["title"], lines)

    def test_stories_and_storylines(self):
        stories = self.export["stories"]
        storylines = self.export["storylines"]
        self.assertGreaterEqual(len(stories), 3)
        self.assertGreaterEqual(len(storylines), 2)
        # At least one storyline links two distinct events, in timeline order.
        multi = [s for s in storylines if len(s.get("timeline", [])) >= 2]
        self.assertTrue(multi, "no storyline with two events")
        dates = [e.get("date", "") for e in multi[0]["timeline"]]
        self.assertEqual(dates, sorted(dates))
        # Some story gathers articles from more than one outlet.
        self.assertTrue(any(len(s.get("sources", [])) >= 2 for s in stories))

    def by_title(self, words):
        hits = [a for a in self.export["articles"] if all(w in a["title"].lower() for w in words)]
        self.assertEqual(len(hits), 1, words)
        return hits[0]

    def test_expected_events_and_storylines_of_the_examples(self):
        # examples/README.md: A1 (two outlets), A2 (two outlets) one storyline, in that order;
        # the dock pay deal shares a place with A1 but joins neither.
        a1 = self.by_title(["fishing talks open", "port halden"])
        a1_other = self.by_title(["first round of fishing talks"])
        a2 = self.by_title(["interim deal", "kessel"])
        dock = self.by_title(["dock workers"])
        self.assertEqual(a1["story_id"], a1_other["story_id"])
        self.assertNotEqual(a1["story_id"], a2["story_id"])
        self.assertEqual(a1["storyline_id"], a2["storyline_id"])
        self.assertNotEqual(dock["storyline_id"], a1["storyline_id"])
        storyline = next(s for s in self.export["storylines"] if s["id"] == a1["storyline_id"])
        order = [e["id"] for e in storyline["timeline"]]
        self.assertLess(order.index(a1["story_id"]), order.index(a2["story_id"]))

    def test_transliteration_variants_are_one_person(self):
        hits = [e for e in self.export["entities"]
                if {"aleksandr vorontsov", "alexander vorontsov"} <= {a.lower() for a in e["aliases"]}]
        self.assertEqual(len(hits), 1, [e for e in self.export["entities"] if "vorontsov" in e["key"]])
        self.assertEqual(hits[0]["type"], "PER")
        self.assertGreaterEqual(hits[0]["article_count"], 3)

    def test_entities_are_merged_across_articles(self):
        people = [e for e in self.export["entities"] if e["type"] == "PER"]
        self.assertTrue(people)
        self.assertTrue(any(e["article_count"] >= 2 for e in people))
        self.assertTrue(any(len(e["aliases"]) >= 2 for e in people))

    def test_reingest_changes_nothing(self):
        before = as_json(storyline(self.db, "export"))
        again = as_json(storyline(self.db, "--json", "ingest", os.path.join(EXAMPLES, "pages"),
                                  "--dates", os.path.join(EXAMPLES, "published.tsv")))
        self.assertEqual(again["articles"], 0)
        self.assertEqual(again["duplicates"], 0)
        self.assertEqual(again["pages_known"], again["pages"])
        after = as_json(storyline(self.db, "export"))
        self.assertEqual(len(before["articles"]), len(after["articles"]))
        self.assertEqual(len(before["stories"]), len(after["stories"]))

    def test_read_commands(self):
        first = self.export["articles"][0]
        shown = as_json(storyline(self.db, "--json", "show", first["key"]))
        self.assertEqual(shown["id"], first["id"])
        self.assertIn("analysis", shown)
        word = max(re.findall(r"[A-Za-z]{6,}", first["text"]), key=len)
        hits = as_json(storyline(self.db, "--json", "search", word))
        self.assertIn(first["id"], [h["id"] for h in hits])
        self.assertTrue(as_json(storyline(self.db, "--json", "articles", "--limit", "3")))
        self.assertTrue(as_json(storyline(self.db, "--json", "entities", "--type", "PER")))
        sl = self.export["storylines"][0]["id"]
        view = as_json(storyline(self.db, "--json", "compare", str(sl)))
        self.assertIn("facts", view)
        table = storyline(self.db, "stories").stdout.decode()
        self.assertIn("storyline", table.splitlines()[0])
        self.assertNotEqual(storyline(self.db, "show", "no-such-article", check=False).returncode, 0)

    def test_quotes_of_a_speaker_across_outlets(self):
        quotes = as_json(storyline(self.db, "--json", "quotes", "--speaker", "Vorontsov"))
        self.assertTrue(quotes)
        for q in quotes:
            self.assertIn("vorontsov", q["speaker_key"])
            self.assertEqual(q["article_count"], len(q["sources"]))
        texts = " ".join(s["text"] for q in quotes for s in q["sources"])
        self.assertIn("fairness", texts)
        # Both spellings (Aleksandr / Alexander) are one speaker, reported by several outlets.
        self.assertGreaterEqual(len({s["source"] for q in quotes for s in q["sources"]}), 2)
        self.assertEqual(as_json(storyline(self.db, "--json", "quotes", "--speaker", "Nobody Atall")), [])
        table = storyline(self.db, "quotes", "--speaker", "Halvorsen").stdout.decode()
        self.assertIn("speaker", table.splitlines()[0])
        self.assertIn("Halvorsen", table)

    def test_http_api(self):
        proc = subprocess.Popen([BIN, "--db", self.db, "serve", "--port", "0"],
                                stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
        try:
            line = proc.stderr.readline().decode()
            port = int(re.search(r"127\.0\.0\.1:(\d+)", line).group(1))
            base = f"http://127.0.0.1:{port}"
            stats = json.load(urllib.request.urlopen(base + "/api/stats", timeout=10))
            self.assertEqual(stats["articles"], len(self.export["articles"]))
            storylines = json.load(urllib.request.urlopen(base + "/api/storylines", timeout=10))
            self.assertEqual(len(storylines), len(self.export["storylines"]))
            page = urllib.request.urlopen(base + "/", timeout=10).read().decode()
            self.assertIn("<html", page.lower())
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=10)


class QuotesAcrossOutlets(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.db = os.path.join(self.tmp.name, "quotes.db")

    def tearDown(self):
        self.tmp.cleanup()

    def test_same_quote_from_two_outlets_is_one_quote_with_its_sources(self):
        quote = ("We will rebuild the harbour wall before the winter storms arrive, and every "
                 "family will be back home by December")
        pages = [
            {"id": "q1", "source": "Harbour Times", "published": "2025-05-02",
             "title": "Mayor promises new harbour wall",
             "text": f"The mayor of Lindqvist, Marta Oyelaran, visited the flooded quarter on "
                     f"Thursday. \"{quote},\" Oyelaran said.\nRepairs will cost about 4 million "
                     f"euros, the council said."},
            {"id": "q2", "source": "Coast Radio", "published": "2025-05-02",
             "title": "Oyelaran: families home by December",
             "text": f"Residents of the flooded streets met Lindqvist mayor Marta Oyelaran at the "
                     f"town hall. \"{quote}.\" said Oyelaran, who has led the town since 2019."
                     f"\nEngineers began pumping water out of the cellars on Friday morning."},
        ]
        stdin = "\n".join(json.dumps(p) for p in pages).encode()
        storyline(self.db, "--json", "ingest", "-", stdin=stdin)
        quotes = as_json(storyline(self.db, "--json", "quotes", "--speaker", "oyelaran"))
        grouped = [q for q in quotes if "harbour wall" in q["text"]]
        self.assertEqual(len(grouped), 1, quotes)
        self.assertEqual(grouped[0]["article_count"], 2)
        self.assertEqual({s["source"] for s in grouped[0]["sources"]},
                         {"Harbour Times", "Coast Radio"})

class RegroupEndToEnd(unittest.TestCase):
    """Re-grouping a store under other thresholds, without re-extracting."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.pages = os.path.join(EXAMPLES, "pages")
        self.dates = os.path.join(EXAMPLES, "published.tsv")

    def tearDown(self):
        self.tmp.cleanup()

    def grouping(self, db):
        export = as_json(storyline(db, "export"))
        by_story = {}
        for a in export["articles"]:
            by_story.setdefault(a["story_id"], set()).add(a["key"])
        return sorted(sorted(keys) for keys in by_story.values()), export

    def test_regroup_matches_a_fresh_ingest_and_keeps_saved_thresholds(self):
        strict = os.path.join(self.tmp.name, "strict.db")
        fresh = os.path.join(self.tmp.name, "fresh.db")
        storyline(strict, "--json", "ingest", self.pages, "--dates", self.dates,
                  "--story-threshold", "0.99", "--storyline-threshold", "0.99",
                  "--storyline-merge-threshold", "0.99")
        storyline(fresh, "--json", "ingest", self.pages, "--dates", self.dates)
        strict_groups, strict_export = self.grouping(strict)
        fresh_groups, _ = self.grouping(fresh)
        self.assertGreater(len(strict_groups), len(fresh_groups))
        # Without flags, regroup keeps the thresholds the store was grouped with.
        same = as_json(storyline(strict, "--json", "regroup"))
        self.assertEqual(same["articles"], len(strict_export["articles"]))
        self.assertEqual(same["stories"], same["stories_before"])
        self.assertEqual(self.grouping(strict)[0], strict_groups)
        # Given thresholds win; the result is what ingesting with them would have made.
        loose = as_json(storyline(strict, "--json", "regroup", "--story-threshold", "0.22",
                                  "--storyline-threshold", "0.20",
                                  "--storyline-merge-threshold", "0.20"))
        self.assertEqual(loose["stories_before"], len(strict_groups))
        self.assertEqual(loose["stories"], len(fresh_groups))
        regrouped, regrouped_export = self.grouping(strict)
        self.assertEqual(regrouped, fresh_groups)
        # Articles and their analyses are untouched.
        self.assertEqual([a["text"] for a in regrouped_export["articles"]],
                         [a["text"] for a in strict_export["articles"]])


class BadInput(unittest.TestCase):
    """Bad input never crashes and never loses the good pages around it."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.db = os.path.join(self.dir, "bad.db")

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, data):
        path = os.path.join(self.dir, "in", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def good_page(self):
        return ("Harbor council approves new flood barrier after long debate\n"
                "The council of Marlow Bay voted on Monday to build a flood barrier along the "
                "old harbor, ending two years of debate over its cost and its route.\n"
                "Mayor Elena Fairweather said the barrier would protect 4,000 homes.\n").encode()

    def test_bad_files_are_reported_and_good_ones_kept(self):
        self.write("a_good.txt", self.good_page())
        self.write("b_empty.txt", b"")
        self.write("c_binary.bin", bytes(range(256)) * 64)
        self.write("d_invalid_utf8.txt", b"Caf\xe9 owners in Marlow Bay protest \xff\xfe new rules\n"
                                         b"The owners said the rules were unfair.\n")
        self.write("e_nested.html", b"<html><body>" + b"<div>" * 100_000 + b"deep text" +
                   b"</div>" * 100_000 + b"</body></html>")
        self.write("f_nul.html", b"<html><body><p>Before\x00after the NUL byte, text goes on."
                                 b"</p></body></html>")
        self.write("g_entities.html", b"<html><body><p>&#xFFFFFFFF; &bogus; &amp &#0; &lt;p"
                                      b" unterminated</body>")
        summary = as_json(storyline(self.db, "--json", "ingest", os.path.join(self.dir, "in"),
                                    "--published", "2025-03-03", timeout=600))
        self.assertEqual(summary["inputs"], 7)
        self.assertGreaterEqual(summary["articles"], 2)
        origins = " ".join(p["origin"] for p in summary["problems"])
        self.assertIn("b_empty.txt", origins)
        self.assertIn("c_binary.bin", origins)
        export = as_json(storyline(self.db, "export"))
        texts = " ".join(a["text"] for a in export["articles"])
        self.assertIn("flood barrier", texts)
        self.assertIn("\ufffd", texts)  # invalid bytes replaced, the rest kept

    def test_huge_page_finishes(self):
        big = b"<html><body><p>" + b"word " * (10 * 1024 * 1024) + b"</p></body></html>"
        path = self.write("huge.html", big)
        start = time.monotonic()
        proc = storyline(self.db, "--json", "ingest", path, check=False, timeout=600)
        self.assertIn(proc.returncode, (0, 1))
        self.assertLess(time.monotonic() - start, 300)

    def test_stdin_and_bad_jsonl_lines(self):
        lines = [json.dumps({"id": "one", "source": "Test Wire", "published": "2025-03-03",
                             "title": "Marlow Bay barrier", "text": self.good_page().decode()}),
                 "{not json",
                 json.dumps(["an", "array"]),
                 json.dumps({"id": "two", "url": "https://valley.example/x", "published": "2025-03-04",
                             "html": "<html><body><article><p>The valley road reopened on Tuesday "
                                     "after engineers repaired the bridge that floods damaged, the "
                                     "regional office said.</p></article></body></html>"})]
        summary = as_json(storyline(self.db, "--json", "ingest", "-", stdin="\n".join(lines).encode()))
        self.assertEqual(summary["articles"], 2)
        self.assertEqual(len(summary["problems"]), 2)
        self.assertTrue(all(":" in p["origin"] for p in summary["problems"]))

    def warc_record(self, uri, date, html):
        body = html.encode()
        http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
        head = (f"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\n"
                f"WARC-Date: {date}\r\nWARC-Record-ID: <urn:uuid:{abs(hash(uri)):032x}>\r\n"
                f"Content-Type: application/http; msgtype=response\r\n"
                f"Content-Length: {len(http)}\r\n\r\n").encode()
        return gzip.compress(head + http + b"\r\n\r\n")

    def test_gzip_warc_and_errors_file(self):
        page = ("<html><head><title>Valley road reopens</title></head><body><article>"
                "<h1>Valley road reopens</h1><p>The valley road reopened on Tuesday after engineers "
                "repaired the bridge that the spring floods had damaged, the regional office said."
                "</p><p>Traffic was back to normal by the evening, officials added.</p>"
                "</article></body></html>")
        warc = self.warc_record("https://valley.example/road", "2025-03-04T10:00:00Z", page)
        path = self.write("crawl.warc.gz", warc + gzip.compress(b"WARC/1.1\r\nbroken record"))
        errors = os.path.join(self.dir, "errors.jsonl")
        summary = as_json(storyline(self.db, "--json", "ingest", path, "--errors", errors))
        self.assertEqual(summary["articles"], 1)
        self.assertGreaterEqual(summary["records"], 1)
        export = as_json(storyline(self.db, "export"))
        self.assertEqual(export["articles"][0]["url"], "https://valley.example/road")
        self.assertTrue(export["articles"][0]["published"].startswith("2025-03-04"))
        with open(errors) as f:
            lines = [json.loads(l) for l in f if l.strip()]
        self.assertEqual(len(lines), len(summary["problems"]) + len(summary["read_warnings"]))

    def test_missing_path_is_an_error(self):
        proc = storyline(self.db, "ingest", os.path.join(self.dir, "nope"), check=False)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn(b"nope", proc.stderr)

    def test_not_a_database(self):
        path = self.write("not.db", b"this is not sqlite" * 100)
        proc = storyline(path, "stories", check=False)
        self.assertNotEqual(proc.returncode, 0)
        self.assertNotIn(b"Segmentation", proc.stderr)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--storyline", default=BIN)
    args, rest = parser.parse_known_args()
    BIN = os.path.abspath(args.storyline)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
