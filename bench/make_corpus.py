#!/usr/bin/env python3
"""Generates a benchmark corpus of news pages from the bundled examples/.

The examples' articles are grouped into storylines of events (table BASES below). Each generated
storyline takes one of them, swaps its people and places for new ones from small lists, moves it
in time by whole weeks (so "on Tuesday" stays true), and emits every event as 1-3 reports from
different outlets, each with its own edits (shuffled paragraphs, synonyms, a dropped paragraph),
rendered as HTML (with boilerplate, og: tags, JSON-LD, <time>) or as scraped/plain text. About
10% of pages are syndicated copies: another report's body verbatim under another outlet's
boilerplate.

usage: python3 bench/make_corpus.py --pages 20000 --out /tmp/corpus.jsonl
       python3 bench/make_corpus.py --pages 1000000 --diverse --days 365 --out /tmp/1m.jsonl
       python3 bench/make_corpus.py --pages 500 --out-dir /tmp/corpus   # one file per page

JSON Lines records have id, url, source, published, title and text or html (what storyline's
reader takes). With --out-dir, text pages carry no date: their dates go to <dir>/.published.tsv
(a hidden file, so the directory walk skips it; pass it with --dates). Deterministic for a given
--seed. Standard library only.
"""
import argparse
import datetime as dt
import html
import json
import os
import random
import re
import sys
import time
from html.parser import HTMLParser

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# ---------------------------------------------------------------------------- data tables

# Example articles: file (or "feed.jsonl#<id>") -> (storyline, event index, published date).
# Articles of one event are different wordings of the same report; copies are left out.
BASES = [
    ("harbor-ledger-fishing-talks-open.html", "grey-banks", 0, "2025-03-05"),
    ("valley-wire-fishing-talks-open.txt", "grey-banks", 0, "2025-03-05"),
    ("northwind-post-fishing-deal-kessel.html", "grey-banks", 1, "2025-03-15"),
    ("feed.jsonl#valleywire-2025-03-15-grey-banks", "grey-banks", 1, "2025-03-15"),
    ("harbor-ledger-wendmoor-flood.html", "wendmoor", 0, "2025-03-10"),
    ("feed.jsonl#valleywire-2025-03-11-wendmoor", "wendmoor", 1, "2025-03-11"),
    ("harbor-ledger-dock-pay-deal.txt", "dock-pay", 0, "2025-03-06"),
    ("northwind-post-observatory-telescope.html", "observatory", 0, "2025-03-08"),
    ("feed.jsonl#valleywire-2025-03-12-rail", "rail", 0, "2025-03-12"),
    # A multi-story front page: emitted whole (names swapped), never shuffled.
    ("coastline-courier-front-page.txt", "front-page", 0, "2025-03-12"),
]
RAW_BASES = {"coastline-courier-front-page.txt"}

# People in the examples. Names sharing a surname are one person written two ways; the first
# name pair keeps that transliteration variant in the generated names.
PEOPLE = [
    "Aleksandr Vorontsov", "Alexander Vorontsov", "Ingrid Halvorsen", "Mirela Dastan",
    "Karl Eskedal", "Petra Lindqvist", "Anton Vesely", "Henrik Aalto", "Oona Keel",
    "Bo Falkenrath", "Rafael Osterholm", "Ruth Okafor", "Pia Sandgren", "Dagny Holm",
    "Viktor Brandt", "Elias Norrback", "Freja Holt", "Sigrun Vale", "Maren Olufsen",
    "Jonas Reinholt", "Saskia Brandvold", "Lina Marsk",
]
FIRST_NAME_VARIANTS = [("Aleksandr", "Alexander"), ("Dmitri", "Dmitry"), ("Yevgeny", "Evgeny"),
                       ("Sergei", "Sergey"), ("Mikhail", "Michael"), ("Nikolai", "Nikolay")]
FIRST_NAMES = ["Astrid", "Bjorn", "Camilla", "Dorian", "Edda", "Filip", "Greta", "Hakon",
               "Ilse", "Jorund", "Katja", "Leif", "Malin", "Nils", "Odile", "Per", "Runa",
               "Stellan", "Tove", "Ulrik", "Vera", "Wilhelm", "Ylva", "Zofia", "Anselm",
               "Brita", "Casimir", "Dagmar", "Emil", "Frida"]
SURNAMES = ["Aakre", "Bergstrom", "Corvin", "Dahlberg", "Ekdal", "Falk", "Grimstad", "Hedlund",
            "Isaksen", "Jarvik", "Kollberg", "Lindahl", "Moberg", "Nystad", "Orlov", "Petrov",
            "Quist", "Rasku", "Sandvik", "Torsen", "Ulvang", "Varga", "Westby", "Zelnik",
            "Almqvist", "Borodin", "Castell", "Drummond", "Eriksen", "Fournier", "Gallo",
            "Hartmann", "Ivanova", "Jansen", "Kovac", "Laine", "Marchetti", "Novak"]

# Countries with their adjectives, then places; replaced consistently within a storyline.
COUNTRIES = [("Norvala", "Norvalan"), ("Veskaria", "Veskarian")]
COUNTRY_POOL = [("Aldoria", "Aldorian"), ("Brennmark", "Brennmarkian"), ("Casperia", "Casperian"),
                ("Dovrania", "Dovranian"), ("Estavia", "Estavian"), ("Farland", "Farlandic"),
                ("Galovia", "Galovian"), ("Hestria", "Hestrian"), ("Istmark", "Istmarkian"),
                ("Jorvania", "Jorvanian")]
PLACES = ["Port Halden", "Kessel", "Wendmoor", "Lathe", "Brackwater",
          "Mount Ervik", "Ostvik", "Sorve", "Mill Street", "Linden Rovers"]
PLACE_POOL = ["Port Arnesby", "Kallvik", "Eastmere", "Tarn", "Saltholm",
              "Mount Havdal", "Nordby", "Vessel", "Quay Street", "Farhaven", "Lindholm",
              "Brisk Point", "Gullhaven", "Redcliff", "Marsh End", "Stonebridge", "Aldwick",
              "Westerby", "Kestrel Bay", "Rowan Vale", "Old Harbour Lane",
              "Ferncastle", "Dunmore United", "Pike Rock", "Ashby Moor", "Elver Bay"]
# Fishing grounds ("in the Grey Banks") need a plural-sounding name of their own.
GROUNDS = ["Grey Banks"]
GROUNDS_POOL = ["Silver Shoals", "Amber Banks", "North Flats", "Cod Reaches", "Hollow Sands",
                "Herring Deeps", "Stormy Banks", "Outer Shallows"]

# Word edits: (word, replacements); applied to a few occurrences per page.
SYNONYMS = [
    ("talks", ["negotiations", "discussions"]), ("agreed", ["settled", "consented"]),
    ("about", ["around", "roughly", "some"]), ("residents", ["locals", "inhabitants"]),
    ("boats", ["vessels"]), ("ended", ["closed", "finished"]), ("began", ["started"]),
    ("warned", ["cautioned"]), ("demand", ["request"]), ("dispute", ["row", "quarrel"]),
    ("cost", ["price"]), ("town", ["municipality"]), ("officials", ["authorities"]),
    ("expected", ["due", "likely"]), ("new", ["fresh"]), ("heavy", ["intense"]),
    ("rose", ["climbed"]), ("fell", ["dropped"]), ("crews", ["teams"]),
]
EXTRA_SENTENCES = [
    "The ministry did not respond to a request for further comment.",
    "Further details were expected later in the week.",
    "Local broadcasters carried the announcement live.",
    "The report could not be independently verified.",
    "This article has been updated with additional reporting.",
]

OUTLETS = [
    ("The Harbor Ledger", "harborledger.example"), ("Northwind Post", "northwindpost.example"),
    ("Valley Wire", "valleywire.example"), ("Coastline Courier", "coastlinecourier.example"),
    ("Ridgeline Tribune", "ridgelinetribune.example"), ("The Lantern Daily", "lanterndaily.example"),
    ("Bayside Chronicle", "baysidechronicle.example"), ("Meridian Herald", "meridianherald.example"),
    ("Fjordline News", "fjordlinenews.example"), ("Saltwind Gazette", "saltwindgazette.example"),
    ("Inland Observer", "inlandobserver.example"), ("The Evening Compass", "eveningcompass.example"),
]
SECTIONS = ["world", "national", "local", "business", "coast", "region"]
NAV = ["Home", "World", "National", "Business", "Sport", "Culture", "Opinion", "Weather"]

# ---------------------------------------------------------------------------- reading examples


class BodyParser(HTMLParser):
    """Collects <h1> and the <p> paragraphs inside the story body of an example page."""

    BODY_CLASSES = {"story-body", "article-text"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.paragraphs = []
        self._stack = []       # (tag, is_body)
        self._buffer = None
        self._in_h1 = False

    def _in_body(self):
        return any(is_body for _, is_body in self._stack)

    def handle_starttag(self, tag, attrs):
        classes = set((dict(attrs).get("class") or "").split())
        if tag in ("meta", "link", "img", "input", "br"):
            return
        self._stack.append((tag, bool(classes & self.BODY_CLASSES)))
        if tag == "p" and self._in_body():
            self._buffer = []
        if tag == "h1":
            self._in_h1 = True

    def handle_endtag(self, tag):
        if tag == "p" and self._buffer is not None:
            self.paragraphs.append("".join(self._buffer).strip())
            self._buffer = None
        if tag == "h1":
            self._in_h1 = False
        while self._stack:
            open_tag, _ = self._stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self._buffer is not None:
            self._buffer.append(data)
        if self._in_h1:
            self.title += data.strip()


def read_text_article(text):
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    title = lines[0]
    body = []
    for line in lines[1:]:
        if line == title or line == "0 0" or line.startswith("•") or "login" in line.lower():
            continue
        body.append(line)
    return title, body


def load_bases(pages_dir):
    feed = {}
    with open(os.path.join(pages_dir, "feed.jsonl"), encoding="utf-8") as f:
        for line in f:
            if line.strip():
                record = json.loads(line)
                feed[record["id"]] = record
    bases = []
    for name, storyline, event, published in BASES:
        if name.startswith("feed.jsonl#"):
            record = feed[name.split("#", 1)[1]]
            title, body = record["title"], record["text"].split("\n")
        else:
            with open(os.path.join(pages_dir, name), encoding="utf-8") as f:
                content = f.read()
            if name in RAW_BASES:
                title, body = "", content.rstrip("\n").split("\n")
            elif name.endswith(".html"):
                parser = BodyParser()
                parser.feed(content)
                title, body = parser.title, parser.paragraphs
            else:
                title, body = read_text_article(content)
        bases.append({"name": name, "storyline": storyline, "event": event,
                      "published": dt.date.fromisoformat(published), "title": title,
                      "body": body, "raw": name in RAW_BASES})
    return bases


# ---------------------------------------------------------------------------- variation


SYLLABLES = ["ka", "lo", "ve", "min", "dra", "sol", "tor", "bel", "ru", "nes", "ith", "ar", "os",
             "wen", "gal", "mor", "ti", "ske", "fal", "und", "per", "qua", "zin", "hol", "ebb",
             "cra", "vin", "tul", "ser", "dom"]


def pseudo_word(rng, syllables=3):
    """An invented word (30^3 = 27,000 of three syllables), for --diverse corpora."""
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables))


def diverse_pools(rng):
    """Invented surnames, places and countries for one storyline instance (--diverse), so that
    instances made from the same example rarely share their names."""
    surnames = [pseudo_word(rng).capitalize() for _ in SURNAMES]
    places = [pseudo_word(rng).capitalize() for _ in PLACE_POOL]
    countries = []
    for _ in COUNTRY_POOL:
        name = pseudo_word(rng).capitalize()
        countries.append((name, name + "n"))
    grounds = [pseudo_word(rng).capitalize() + " Banks" for _ in GROUNDS_POOL]
    return {"surnames": surnames, "places": places, "countries": countries, "grounds": grounds}


def make_topic_words(rng, texts, count=12):
    """--diverse: a function that swaps `count` of the instance's longer content words for
    invented ones, consistently across its events and reports, so that instances of one
    example differ in vocabulary the way different real events do."""
    words = sorted({w for t in texts for w in re.findall(r"\b[a-z]{6,}\b", t)})
    if not words:
        return lambda text: text
    mapping = {w: pseudo_word(rng, 3) for w in rng.sample(words, min(count, len(words)))}
    pattern = re.compile(r"\b(" + "|".join(re.escape(k) for k in sorted(mapping)) + r")\b")
    return lambda text: pattern.sub(lambda m: mapping[m.group(1)], text)


def make_replacer(rng, pools=None):
    """A function that swaps the examples' people, countries and places for new ones."""
    pools = pools or {"surnames": SURNAMES, "places": PLACE_POOL, "countries": COUNTRY_POOL,
                      "grounds": GROUNDS_POOL}
    mapping = {}
    surnames = rng.sample(pools["surnames"], len(pools["surnames"]))
    people_by_surname = {}
    for full in PEOPLE:
        first, last = full.split(" ", 1)
        people_by_surname.setdefault(last, []).append(first)
    for index, (last, firsts) in enumerate(people_by_surname.items()):
        new_last = surnames[index % len(surnames)]
        if len(firsts) > 1:
            variant = rng.choice(FIRST_NAME_VARIANTS)
            new_firsts = [variant[i % 2] for i in range(len(firsts))]
        else:
            new_firsts = [rng.choice(FIRST_NAMES)]
        for first, new_first in zip(firsts, new_firsts):
            mapping[f"{first} {last}"] = f"{new_first} {new_last}"
        mapping[last] = new_last
    for (name, adjective), (new_name, new_adjective) in zip(
            COUNTRIES, rng.sample(pools["countries"], len(COUNTRIES))):
        mapping[name] = new_name
        mapping[adjective] = new_adjective
    for place, new_place in zip(PLACES, rng.sample(pools["places"], len(PLACES))):
        mapping[place] = new_place
    for ground, new_ground in zip(GROUNDS, rng.sample(pools["grounds"], len(GROUNDS))):
        mapping[ground] = new_ground
    for key in list(mapping):
        mapping[key.upper()] = mapping[key].upper()  # datelines: "PORT HALDEN —"
    keys = sorted(mapping, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(re.escape(k) for k in keys) + r")\b")
    return lambda text: pattern.sub(lambda m: mapping[m.group(1)], text)


def edit_words(rng, paragraph, budget):
    for _ in range(budget):
        word, choices = rng.choice(SYNONYMS)
        pattern = re.compile(r"\b" + word + r"\b")
        hits = list(pattern.finditer(paragraph))
        if not hits:
            continue
        hit = rng.choice(hits)
        paragraph = paragraph[:hit.start()] + rng.choice(choices) + paragraph[hit.end():]
    return paragraph


def vary_body(rng, body):
    """One outlet's rewrite: shuffled middle paragraphs, synonyms, maybe a dropped paragraph."""
    lede, rest = body[0], list(body[1:])
    if len(rest) > 2 and rng.random() < 0.6:
        tail = rest[1:]
        rng.shuffle(tail)
        rest = rest[:1] + tail
    if len(rest) > 4 and rng.random() < 0.4:
        del rest[rng.randrange(1, len(rest))]
    paragraphs = [lede] + rest
    paragraphs = [edit_words(rng, p, rng.randint(0, 2)) for p in paragraphs]
    if rng.random() < 0.3:
        paragraphs.append(rng.choice(EXTRA_SENTENCES))
    return paragraphs


def make_scrambler(rng, pool):
    """One storyline instance's own text: about half of the paragraphs after the lede swapped for
    paragraphs of other examples, every number redrawn, and a filler word now and then, so that
    instances made from the same example share words but not passages (they are different
    events, not copies). Reports of one instance share its scrambled text."""
    fillers = ["also", "now", "then", "still", "again", "later", "indeed", "meanwhile", "reportedly",
               "officially", "locally", "largely", "partly", "formally", "publicly", "briefly"]

    def redraw_number(match):
        digits = match.group(0)
        return str(rng.randint(10 ** (len(digits) - 1) if len(digits) > 1 else 1, 10 ** len(digits) - 1))

    def scramble(paragraphs):
        out = []
        for index, paragraph in enumerate(paragraphs):
            if index > 0 and pool and rng.random() < 0.5:
                paragraph = rng.choice(pool)
            paragraph = re.sub(r"\d+", redraw_number, paragraph)
            words = paragraph.split(" ")
            noisy = []
            for word in words:
                noisy.append(word)
                if rng.random() < 0.08:
                    noisy.append(rng.choice(fillers))
            out.append(" ".join(noisy))
        return out

    return scramble


# ---------------------------------------------------------------------------- rendering


def slugify(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "story"


def render_html(rng, outlet, host, title, body, published, author, url, related):
    e = html.escape
    stamp = f"{published.isoformat()}T{rng.randint(5, 21):02d}:{rng.randint(0, 59):02d}:00Z"
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                     "datePublished": stamp, "author": {"@type": "Person", "name": author},
                     "publisher": {"@type": "Organization", "name": outlet}},
                    ensure_ascii=False)
    nav = "".join(f'<li><a href="/{n.lower()}">{n}</a></li>' for n in rng.sample(NAV, 6))
    paragraphs = "\n".join(f"<p>{e(p)}</p>" for p in body)
    links = "".join(f'<li><a href="/related/{slugify(t)}">{e(t)}</a></li>' for t in related)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{e(title)} | {e(outlet)}</title>
<link rel="canonical" href="{e(url)}">
<meta property="og:site_name" content="{e(outlet)}">
<meta property="og:type" content="article">
<meta property="og:title" content="{e(title)}">
<meta property="og:url" content="{e(url)}">
<script type="application/ld+json">{ld}</script>
</head><body>
<div class="cookie-notice"><p>{e(outlet)} uses cookies to improve your experience.</p><button>Accept</button></div>
<header><a class="logo" href="/">{e(outlet)}</a><nav><ul>{nav}</ul></nav></header>
<main><article>
<h1>{e(title)}</h1>
<p class="byline">By {e(author)} <time datetime="{stamp}">{published.strftime("%d %B %Y")}</time></p>
<div class="share"><a href="#fb">Share</a> <a href="#x">Post</a> <a href="#mail">Email</a></div>
<div class="story-body">
{paragraphs}
</div></article>
<aside class="related"><h2>Read more</h2><ul>{links}</ul></aside></main>
<footer><p>&copy; {published.year} {e(outlet)} &middot; <a href="/privacy">Privacy</a> &middot; <a href="/contact">Contact</a></p></footer>
</body></html>
"""


def render_text(rng, outlet, title, body, style):
    if style == "scraped":
        lines = [title, "", "0 0", title, ""]
        for paragraph in body:
            lines += [paragraph, ""]
        lines += ["  • Tags:", "To like or comment please login first....", "Login/Register"]
    elif style == "wire":
        lines = [f"{outlet} | News", title, f"By {outlet} staff", ""] + body + [
            "", "Share this story: Facebook | X | Email", f"© {outlet}"]
    else:
        lines = [title, ""] + body
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- generation


def generate(args, bases, emit):
    rng = random.Random(args.seed)
    storylines = {}
    for base in bases:
        storylines.setdefault(base["storyline"], {}).setdefault(base["event"], []).append(base)
    names = sorted(storylines)
    start = dt.date.fromisoformat(args.start)
    end = start + dt.timedelta(days=args.days)
    stats = {"pages": 0, "html": 0, "text": 0, "copies": 0, "storylines": 0, "events": 0}
    recent = []  # titles for "related" links
    pool = [p for b in bases if not b["raw"] for p in b["body"][1:]]
    while stats["pages"] < args.pages:
        events = storylines[rng.choice(names)]
        stats["storylines"] += 1
        if args.diverse:
            rename = make_replacer(rng, diverse_pools(rng))
            topic = make_topic_words(rng, [p for bs in events.values() for b in bs
                                           for p in [b["title"]] + b["body"]])
            replace = lambda text, rename=rename, topic=topic: topic(rename(text))
        else:
            replace = make_replacer(rng)
        scramble = make_scrambler(rng, pool)
        scrambled = {}  # one scrambled text per example, shared by its reports
        first = min(b["published"] for bs in events.values() for b in bs)
        last = max(b["published"] for bs in events.values() for b in bs)
        # Whole weeks keep weekday phrases ("on Tuesday") true against the new dates.
        low = -((first - start).days // 7)
        high = (end - last).days // 7
        if args.diverse:
            # A stream moves forward in time: each storyline starts near the date the
            # generation has reached (within two weeks), as a crawl of the news would see it.
            reached = low + round((high - low) * stats["pages"] / max(1, args.pages))
            shift = dt.timedelta(weeks=min(max(low, high), max(low, reached + rng.randint(-2, 2))))
        else:
            shift = dt.timedelta(weeks=rng.randint(low, max(low, high)))
        for event_index in sorted(events):
            stats["events"] += 1
            wordings = events[event_index]
            reports = 1 if wordings[0]["raw"] else rng.randint(1, 3)
            for report in range(reports):
                if stats["pages"] >= args.pages:
                    return stats
                base = wordings[report % len(wordings)]
                outlet, host = rng.choice(OUTLETS)
                published = base["published"] + shift
                if base["raw"]:
                    title = ""
                    body = [replace(line) for line in base["body"]]
                else:
                    title = replace(base["title"])
                    key = id(base)
                    if key not in scrambled:
                        scrambled[key] = [replace(p) for p in scramble(base["body"])]
                    body = vary_body(rng, scrambled[key])
                page = make_page(rng, args, stats, outlet, host, title, body, published, recent,
                                 raw=base["raw"])
                emit(page)
                recent = (recent + [title or "Front page"])[-20:]
                if stats["pages"] < args.pages and not base["raw"] and rng.random() < args.copies:
                    copy_outlet, copy_host = rng.choice([o for o in OUTLETS if o[0] != outlet])
                    copy = make_page(rng, args, stats, copy_outlet, copy_host, title, body,
                                     published, recent, raw=False)
                    stats["copies"] += 1
                    emit(copy)
    return stats


def make_page(rng, args, stats, outlet, host, title, body, published, recent, raw):
    index = stats["pages"]
    stats["pages"] += 1
    slug = slugify(title or "front page")
    url = (f"https://{host}/{rng.choice(SECTIONS)}/{published.year}/{published.month:02d}/"
           f"{published.day:02d}/{slug}-{index}")
    record = {"id": f"c{index:06d}", "url": url, "source": outlet,
              "published": published.isoformat(), "title": title}
    if raw:
        record["text"] = "\n".join(body) + "\n"
        stats["text"] += 1
    elif rng.random() < args.html_share:
        author = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
        related = rng.sample(recent, min(3, len(recent)))
        record["html"] = render_html(rng, outlet, host, title, body, published, author, url,
                                     related)
        stats["html"] += 1
    else:
        style = rng.choice(["scraped", "wire", "plain"])
        record["text"] = render_text(rng, outlet, title, body, style)
        stats["text"] += 1
    if not record["title"]:
        del record["title"]
    return record


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=20000, help="pages to generate")
    parser.add_argument("--out", help="JSON Lines output file ('-' for stdout)")
    parser.add_argument("--out-dir", help="write one .html/.txt file per page here instead")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", default="2025-01-06", help="first publication date")
    parser.add_argument("--days", type=int, default=180, help="length of the date range")
    parser.add_argument("--html-share", type=float, default=0.5, help="share of HTML pages")
    parser.add_argument("--copies", type=float, default=0.11,
                        help="chance that a report is also syndicated to another outlet")
    parser.add_argument("--diverse", action="store_true",
                        help="invent names and a dozen topic words per storyline instance, so "
                             "that a large corpus has many distinct events, and move through "
                             "the date range in order, as a stream does (scale runs)")
    parser.add_argument("--examples", default=os.path.join(ROOT, "examples", "pages"))
    args = parser.parse_args()
    if bool(args.out) == bool(args.out_dir):
        parser.error("give exactly one of --out FILE or --out-dir DIR")
    if args.pages < 0 or args.days < 14:
        parser.error("--pages must be >= 0 and --days >= 14")

    started = time.monotonic()
    bases = load_bases(args.examples)
    written = {"bytes": 0}
    dates = []
    if args.out:
        out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8")

        def emit(record):
            line = json.dumps(record, ensure_ascii=False) + "\n"
            written["bytes"] += len(line.encode("utf-8"))
            out.write(line)
    else:
        os.makedirs(args.out_dir, exist_ok=True)

        def emit(record):
            is_html = "html" in record
            name = f"{record['id']}-{slugify(record.get('title', 'front page'))[:40]}"
            name += ".html" if is_html else ".txt"
            data = (record["html"] if is_html else record["text"]).encode("utf-8")
            with open(os.path.join(args.out_dir, name), "wb") as f:
                f.write(data)
            written["bytes"] += len(data)
            if not is_html:
                dates.append(f"{name}\t{record['published']}\n")

    try:
        stats = generate(args, bases, emit)
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stderr.close()
        sys.exit(0)
    if args.out and out is not sys.stdout:
        out.close()
    if args.out_dir:
        with open(os.path.join(args.out_dir, ".published.tsv"), "w", encoding="utf-8") as f:
            f.writelines(dates)
    seconds = time.monotonic() - started
    target = args.out or args.out_dir
    print(f"make_corpus: {stats['pages']} pages ({stats['html']} HTML, {stats['text']} text, "
          f"{stats['copies']} syndicated copies) in {stats['storylines']} storylines / "
          f"{stats['events']} events, {written['bytes'] / 1e6:.1f} MB -> {target} "
          f"({seconds:.1f} s, seed {args.seed})", file=sys.stderr)
    if args.out_dir:
        print(f"make_corpus: text page dates in {os.path.join(args.out_dir, '.published.tsv')}",
              file=sys.stderr)


if __name__ == "__main__":
    main()
