#!/usr/bin/env python3
"""Event and storyline clustering on the story benchmark (ECB+ layout), fed online.

For each feeding order in BENCH_DIR/ecbplus/orders.jsonl: write the documents in that order
as JSON Lines, ingest them into a fresh store (the pipeline places one article at a time, in
file order), read `storyline export`, map every document to its story and storyline, and score
both levels with BENCH_DIR/score.py. Prints mean, sample SD and min-max over the orders of
B-cubed F1 and pairwise F1 at both levels.

    python3 eval/stories.py ../shared/bench/stories --storyline build/src/cli/storyline
    python3 eval/stories.py BENCH --json
    python3 eval/stories.py BENCH --ingest-args '--story-threshold 0.3'
    python3 eval/stories.py BENCH --noise 100      # plus 100 unrelated real news documents
    python3 eval/stories.py BENCH --slices 3       # three streams of a third of the topics each

Slices (--slices N): the published anchor and the held-back test split hold 10 topics each, so
the same engine faces fewer look-alike events there than on the 33 shared topics in one stream.
With --slices N the storyline-level gold topics are dealt round-robin (in natural name order)
into N groups and each group is fed as a stream of its own, in every order (the order's ids
restricted to the group); each order's figure is the mean over the groups. The gold is used
only to choose which documents share a stream, as a test split does; the engine still sees
opaque ids.

Noise (--noise N): N real news documents on other subjects are mixed into every order at
positions drawn from the order number; the gold gives each its own event and storyline, and
the run also prints how many of them the engine left alone ("noise left singleton"). The texts
are read at run time from --noise-from folders (default: the MEANTIME articles and the
article-extraction benchmark's ground-truth bodies under ../shared/bench); they are never
copied anywhere. Documents of the pool that are alike (word cosine at or above
--noise-max-cosine to one already picked: two reports of one event, or one company's news) are
dropped first, so the noise is unrelated to itself as well as to the benchmark's topics.

Ids are opaque: they are passed through and matched as whole strings, never parsed. A document
that produced no article counts as a singleton; a copy takes its canonical article's clusters.
"""

import argparse
import collections
import glob
import gzip
import json
import math
import os
import random
import re
import shlex
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_BENCH = os.path.join(HERE, "..", "..", "shared", "bench", "stories")
DEFAULT_BIN = os.path.join(HERE, "..", "build", "src", "cli", "storyline")
DEFAULT_NOISE = [os.path.join(HERE, "..", "..", "shared", "bench", "understanding", "meantime"),
                 os.path.join(HERE, "..", "..", "shared", "bench", "extraction",
                              "scrapinghub-aeb")]
LEVELS = ("events", "storylines")
NOISE_MIN_WORDS = 30  # shorter bodies are stubs (a caption, a login prompt), not articles
NOISE_STOP = frozenset("""a about after all also an and any are as at be been before but by can
could did do does for from had has have he her his i if in into is it its just more most new no
not of on only or other our out over said says she should so some such than that the their then
these they this those to up was we were will with would you""".split())


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def page_shape(doc, shape):
    """The JSONL page for one benchmark document.

    raw:  text as given (one sentence a line, title repeated as its first line).
    body: the title only as the JSONL title field; the text without its first line when that
          line is the title, so the title is not counted twice.
    """
    page = {"id": doc["id"], "title": doc.get("title", "")}
    text = doc.get("text", "")
    if shape == "body":
        first, sep, rest = text.partition("\n")
        if sep and first.strip() == page["title"].strip():
            text = rest
    page["text"] = text
    return page


def assignments(export):
    """page id -> (story_id, storyline_id) from an export document (segment 0 articles and
    copies of them)."""
    by_article = {}
    placed = {}
    for article in export.get("articles", []):
        by_article[article["id"]] = (article.get("story_id"), article.get("storyline_id"))
        if article.get("segment", 0) == 0:
            placed[article["page_id"]] = by_article[article["id"]]
    for copy in export.get("duplicates", []):
        clusters = by_article.get(copy.get("canonical_id"))
        key = copy.get("key", "")
        if clusters is not None and key not in placed:
            placed[key] = clusters
    return placed


def noise_texts(folder):
    """(key, title, text) of every document under `folder`: JSONL rows of {"id", "title", "text"}
    (MEANTIME's docs.jsonl; annotation rows, which carry no "id", are skipped), ground-truth JSON of {"<id>": {"articleBody"}} (optionally
    gzipped), and plain .txt files (one document each)."""
    out = []
    for path in sorted(glob.glob(os.path.join(folder, "*"))):
        name = os.path.basename(path)
        if name.endswith(".jsonl"):
            for doc in read_jsonl(path):
                if "id" in doc and doc.get("text"):
                    out.append((f"{name}:{doc['id']}", doc.get("title", ""), doc["text"]))
        elif name.endswith((".json", ".json.gz")):
            opener = gzip.open if name.endswith(".gz") else open
            with opener(path, "rt", encoding="utf-8") as f:
                data = json.load(f)
            if isinstance(data, dict):
                for key, value in sorted(data.items()):
                    body = value.get("articleBody") if isinstance(value, dict) else None
                    if body:
                        out.append((f"{name}:{key}", "", body))
        elif name.endswith(".txt"):
            with open(path, encoding="utf-8") as f:
                out.append((name, "", f.read()))
    return out


def word_vectors(texts):
    """L2-normalised (1 + ln tf) * ln((1+N)/(1+df)) vectors of lower-cased words (the bag of
    words of the benchmark README's baselines)."""
    bags = [collections.Counter(w for w in re.findall(r"[^\W_]+", t.lower())
                                if w not in NOISE_STOP) for t in texts]
    df = collections.Counter(w for bag in bags for w in bag)
    vectors = []
    for bag in bags:
        v = {w: (1 + math.log(c)) * math.log((1 + len(bags)) / (1 + df[w])) for w, c in bag.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vectors.append({w: x / norm for w, x in v.items()})
    return vectors


def cosine(a, b):
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(w, 0.0) for w, x in a.items())


def pick_noise(folders, count, max_cosine):
    """`count` mutually unrelated documents from the folders, as pages with ids "noise:<key>"."""
    pool = [doc for folder in folders for doc in noise_texts(folder)
            if len(doc[2].split()) >= NOISE_MIN_WORDS]
    vectors = word_vectors([text for _, _, text in pool])
    order = list(range(len(pool)))
    random.Random(0).shuffle(order)
    picked = []
    for i in order:
        if len(picked) == count:
            break
        if all(cosine(vectors[i], vectors[j]) < max_cosine for j in picked):
            picked.append(i)
    if len(picked) < count:
        sys.exit(f"--noise {count}: only {len(picked)} unrelated documents in {folders}")
    return [{"id": f"noise:{pool[i][0]}", "title": pool[i][1], "text": pool[i][2]}
            for i in picked]


def mix(ids, noise_ids, k):
    """The order's ids with the noise ids at positions drawn from the order number."""
    rng = random.Random(1000 + k)
    mixed = list(ids)
    for noise_id in noise_ids:
        mixed.insert(rng.randrange(len(mixed) + 1), noise_id)
    return mixed


def run_order(binary, docs_by_id, ids, shape, ingest_args, workdir, k):
    feed = os.path.join(workdir, f"order{k}.jsonl")
    db = os.path.join(workdir, f"order{k}.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    with open(feed, "w", encoding="utf-8") as f:
        for doc_id in ids:
            f.write(json.dumps(page_shape(docs_by_id[doc_id], shape), ensure_ascii=False) + "\n")
    cmd = [binary, "--db", db, "--json", "ingest", feed] + ingest_args
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    out = subprocess.run([binary, "--db", db, "export"], check=True, capture_output=True)
    placed = assignments(json.loads(out.stdout))
    preds = {}
    for level, index in (("events", 0), ("storylines", 1)):
        path = os.path.join(workdir, f"order{k}_{level}.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for doc_id in ids:
                clusters = placed.get(doc_id)
                # No article from this document: a singleton of its own.
                name = f"c{clusters[index]}" if clusters else f"none:{doc_id}"
                f.write(json.dumps({"id": doc_id, "cluster": name}) + "\n")
        preds[level] = path
    return preds, sum(1 for i in ids if i not in placed)


def noise_counts(pred_path, noise_ids):
    """(noise documents alone in their predicted cluster, noise documents clustered with a
    benchmark document): the rest share a cluster with other noise documents only."""
    pred = {row["id"]: row["cluster"] for row in read_jsonl(pred_path)}
    sizes = collections.Counter(pred.values())
    noise = set(noise_ids)
    with_bench = {cluster for doc_id, cluster in pred.items() if doc_id not in noise}
    return (sum(1 for i in noise_ids if sizes[pred[i]] == 1),
            sum(1 for i in noise_ids if pred[i] in with_bench))


def score(bench, gold, pred):
    out = subprocess.run(
        [sys.executable, os.path.join(bench, "score.py"), "--gold", gold, "--pred", pred, "--json"],
        check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def flatten(result):
    """The scorer's JSON as {pairwise_f1, b3_f1, ...} whatever its nesting."""
    flat = {}

    def walk(prefix, value):
        if isinstance(value, dict):
            for key, item in value.items():
                walk(f"{prefix}{key}_" if prefix or key else key, item)
        elif isinstance(value, (int, float)):
            flat[prefix.rstrip("_")] = value

    walk("", result)
    return flat


def pick(flat, *names):
    for name in names:
        if name in flat:
            return flat[name]
    raise KeyError(f"none of {names} in scorer output {sorted(flat)}")


def topic_groups(gold_storylines, count):
    """The documents of each of `count` groups of topics, topics dealt round-robin in natural
    name order (numbers by value)."""
    topic_of = {row["id"]: row["cluster"] for row in read_jsonl(gold_storylines)}
    topics = sorted(set(topic_of.values()),
                    key=lambda t: (0, int(t), "") if t.isdigit() else (1, 0, t))
    group_of = {t: n % count for n, t in enumerate(topics)}
    groups = [set() for _ in range(count)]
    for doc_id, topic in topic_of.items():
        groups[group_of[topic]].add(doc_id)
    return groups


def restrict_gold(gold, keep, workdir):
    """Gold files holding only the documents in `keep`, written into workdir."""
    out = {}
    for level, path in gold.items():
        out[level] = os.path.join(workdir, f"gold_{level}.jsonl")
        with open(out[level], "w", encoding="utf-8") as f:
            for row in read_jsonl(path):
                if row["id"] in keep:
                    f.write(json.dumps(row) + "\n")
    return out


def run_and_score(args, docs_by_id, ids, gold, noise_ids, ingest_args, workdir, k):
    preds, missing = run_order(args.storyline, docs_by_id, ids, args.shape, ingest_args,
                               workdir, k)
    row = {"order": k, "no_article": missing}
    for level in LEVELS:
        flat = flatten(score(args.bench, gold[level], preds[level]))
        flat = {name.lower(): v for name, v in flat.items()}
        row[level] = {
            "b3_f1": pick(flat, "bcubed_f1"),
            "b3_p": pick(flat, "bcubed_p"),
            "b3_r": pick(flat, "bcubed_r"),
            "pairwise_f1": pick(flat, "pairwise_f1"),
            "pairwise_p": pick(flat, "pairwise_p"),
            "pairwise_r": pick(flat, "pairwise_r"),
            "clusters": pick(flat, "pred_clusters"),
        }
        if noise_ids:
            alone, with_bench = noise_counts(preds[level], noise_ids)
            row[level]["noise_singletons"] = alone
            row[level]["noise_with_benchmark"] = with_bench
    return row


def mean_rows(rows):
    """One order's row from its slices' rows: every figure the mean over the slices, counts
    (clusters, documents without an article) summed."""
    if len(rows) == 1:
        return rows[0]
    out = {"order": rows[0]["order"], "no_article": sum(r["no_article"] for r in rows),
           "slices": len(rows)}
    for level in LEVELS:
        out[level] = {}
        for metric in rows[0][level]:
            values = [r[level][metric] for r in rows]
            summed = metric == "clusters"
            out[level][metric] = sum(values) if summed else statistics.mean(values)
    return out


def summary(values):
    return {"mean": statistics.mean(values),
            "sd": statistics.stdev(values) if len(values) > 1 else 0.0,
            "min": min(values), "max": max(values), "values": values}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("bench", nargs="?", default=DEFAULT_BENCH)
    parser.add_argument("--storyline", default=DEFAULT_BIN, help="storyline binary")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--shape", choices=("raw", "body"), default="body",
                        help="how a document becomes a JSONL page (see page_shape)")
    parser.add_argument("--ingest-args", default="", help="extra `ingest` options, one string")
    parser.add_argument("--orders", type=int, default=0, help="use only the first N orders")
    parser.add_argument("--keep", help="write feeds, stores and predictions here")
    parser.add_argument("--noise", type=int, default=0,
                        help="mix this many unrelated news documents into every order")
    parser.add_argument("--noise-from", action="append",
                        help="folder of noise documents (repeatable; see noise_texts)")
    parser.add_argument("--noise-max-cosine", type=float, default=0.1,
                        help="drop a noise document this alike to one already picked")
    parser.add_argument("--slices", type=int, default=0,
                        help="feed the topics as this many separate streams (see above)")
    args = parser.parse_args()

    data = os.path.join(args.bench, "ecbplus")
    docs_by_id = {d["id"]: d for d in read_jsonl(os.path.join(data, "docs.jsonl"))}
    orders = read_jsonl(os.path.join(data, "orders.jsonl"))
    if args.orders:
        orders = orders[:args.orders]
    gold = {level: os.path.join(data, f"gold_{level}.jsonl") for level in LEVELS}
    ingest_args = shlex.split(args.ingest_args)
    noise = pick_noise(args.noise_from or DEFAULT_NOISE, args.noise,
                       args.noise_max_cosine) if args.noise else []
    noise_ids = [doc["id"] for doc in noise]
    docs_by_id.update({doc["id"]: doc for doc in noise})

    per_order = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.keep or tmp
        os.makedirs(workdir, exist_ok=True)
        if noise:
            # Each noise document is an event and a storyline of its own.
            for level in LEVELS:
                path = os.path.join(workdir, f"gold_{level}_noise.jsonl")
                with open(path, "w", encoding="utf-8") as out, open(gold[level]) as src:
                    out.write(src.read().rstrip("\n") + "\n")
                    for noise_id in noise_ids:
                        out.write(json.dumps({"id": noise_id, "cluster": noise_id}) + "\n")
                gold[level] = path
        groups = topic_groups(gold["storylines"], args.slices) if args.slices > 1 else [None]
        for order in orders:
            k = order["order"]
            rows = []
            for g, group in enumerate(groups):
                if group is None:
                    sub, sub_gold, ids = workdir, gold, order["ids"]
                else:
                    sub = os.path.join(workdir, f"slice{g}")
                    os.makedirs(sub, exist_ok=True)
                    sub_gold = restrict_gold(gold, group | set(noise_ids), sub)
                    ids = [i for i in order["ids"] if i in group]
                rows.append(run_and_score(args, docs_by_id, mix(ids, noise_ids, k), sub_gold,
                                          noise_ids, ingest_args, sub, k))
            per_order.append(mean_rows(rows))

    result = {"orders": per_order, "shape": args.shape, "ingest_args": args.ingest_args,
              "slices": max(args.slices, 1)}
    if noise:
        result["noise"] = len(noise)
    for level in LEVELS:
        result[level] = {metric: summary([row[level][metric] for row in per_order])
                         for metric in per_order[0][level]}
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{len(per_order)} orders, shape={args.shape}, ingest args: '{args.ingest_args}'"
          + (f", noise {len(noise)} documents" if noise else "")
          + (f", {args.slices} slices of the topics (means over slices)" if args.slices > 1
             else ""))
    for level in LEVELS:
        for metric, label in (("b3_f1", "B3 F1"), ("pairwise_f1", "pairwise F1")):
            s = result[level][metric]
            print(f"{level:10s} {label:12s} mean {s['mean']:.3f}  sd {s['sd']:.3f}  "
                  f"min-max {s['min']:.3f}-{s['max']:.3f}")
        s = {m: result[level][m]["mean"] for m in ("b3_p", "b3_r", "pairwise_p", "pairwise_r",
                                                    "clusters")}
        print(f"{level:10s} mean B3 P/R {s['b3_p']:.3f}/{s['b3_r']:.3f}  pairwise P/R "
              f"{s['pairwise_p']:.3f}/{s['pairwise_r']:.3f}  clusters {s['clusters']:.1f}")
        if noise:
            alone = result[level]["noise_singletons"]
            joined = result[level]["noise_with_benchmark"]
            print(f"{level:10s} noise left singleton: mean {alone['mean']:.1f}/{len(noise)}  "
                  f"min {alone['min']:.1f}/{len(noise)}  per order {[round(v, 1) for v in alone['values']]}  "
                  f"(with a benchmark document: mean {joined['mean']:.1f}, the rest with "
                  f"other noise)")
    missing = [row["no_article"] for row in per_order]
    if any(missing):
        print(f"documents without an article (singletons): {missing}")


if __name__ == "__main__":
    main()
