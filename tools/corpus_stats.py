#!/usr/bin/env python3
"""Entity statistics over a JSONL news corpus, for reviewing the gazetteers.

Runs `entente extract` on the first N documents of a corpus and prints the
number of documents and errors, entities per label, the most frequent entity
ids, and for each frequent id the surface forms that produced it (common
words matched as entities show up here first).

usage: python3 tools/corpus_stats.py [CORPUS.jsonl] [-n 2000] [--top 40]
default corpus: ../shared/corpora/wikinews-politics-economy.jsonl
"""
import argparse
import collections
import itertools
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?",
                    default=os.path.join(ROOT, "..", "shared", "corpora",
                                         "wikinews-politics-economy.jsonl"))
    ap.add_argument("-n", type=int, default=2000, help="documents to read")
    ap.add_argument("--top", type=int, default=40, help="ids to list")
    ap.add_argument("--binary", default=os.path.join(ROOT, "target", "release", "entente"))
    args = ap.parse_args()
    if not os.path.exists(args.corpus):
        sys.exit(f"no corpus at {args.corpus}")
    if not os.path.exists(args.binary):
        subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
    with open(args.corpus, "rb") as f:
        head = b"".join(itertools.islice(f, args.n))
    proc = subprocess.run([args.binary, "extract", "--input", "jsonl", "--format", "jsonl"],
                          input=head, capture_output=True)
    docs = [json.loads(l) for l in proc.stdout.splitlines()]
    errors = [d for d in docs if "error" in d]
    labels = collections.Counter()
    ids = collections.Counter()
    forms = collections.defaultdict(collections.Counter)
    for d in docs:
        for e in d["entities"]:
            labels[e["label"]] += 1
            ids[e["id"]] += 1
            forms[e["id"]][e["text"]] += 1
    print(f"documents {len(docs)}, errors {len(errors)}, exit status {proc.returncode}")
    if proc.stderr:
        print(proc.stderr.decode("utf-8", "replace")[:2000], file=sys.stderr)
    print(f"entities {sum(labels.values())}")
    for label, n in labels.most_common():
        print(f"  {label:<12} {n}")
    print(f"top {args.top} ids")
    for i, (id_, n) in enumerate(ids.most_common(args.top), 1):
        top_forms = ", ".join(f"{t!r} {c}" for t, c in forms[id_].most_common(4))
        print(f"  {i:>2}. {id_:<32} {n:>6}  {top_forms}")


if __name__ == "__main__":
    main()
