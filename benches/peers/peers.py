#!/usr/bin/env python3
"""Peer benchmark: spaCy EntityRuler, FlashText and pyahocorasick on one gazetteer and corpus.

Loads a gazetteer (a TSV file of `LABEL<TAB>alias` lines, or entente `.gaz` files or folders of
them) and a JSONL corpus (one object per line with a `text` field; `.jsonl.gz` too), then for each
system, one at a time and each in a fresh child process:

- builds the matcher from the gazetteer's (label, alias) pairs and times it;
- scans every `text` field once and times it; throughput is UTF-8 text bytes (10^6 B = 1 MB) per
  second of wall-clock time (MB/s), and per second of the process's CPU time (MB/cpu-s), which a
  busy machine disturbs less (CPU time well under the wall time means other work was running);
- counts the matches, so a reader sees that each system did real work.

First an untimed warm-up builds a matcher of a few terms and scans a few texts, to pay one-time
costs (lazy imports, language data). Then every run builds and scans again; build and scan times
are the medians over `--repeat` runs.
Memory is the increase of the child's peak resident set size over its RSS just before the first
build, read once after that build and once after the first scan. It is process-wide: whatever else
the process allocates in that time counts too. On Linux the peak (VmHWM) is reset through
/proc/self/clear_refs before the first build; elsewhere it is ru_maxrss since the process started,
so a smaller increase can hide under an earlier peak. Everything is single-process and
single-threaded.

Systems:
  flashtext      flashtext.KeywordProcessor(case_sensitive=False), extract_keywords per text:
                 longest match, non-overlapping, word boundaries are the ASCII [A-Za-z0-9_].
  ruler          spacy.blank("en") with only an EntityRuler of phrase patterns, nlp.pipe over the
                 texts; matches are doc.ents (longest, non-overlapping, on spaCy token boundaries).
                 The attribute matched is ORTH (case-sensitive) or, with --ruler-attr LOWER, LOWER.
  pyahocorasick  ahocorasick.Automaton with lowercased aliases, Automaton.iter over each lowercased
                 text: every occurrence, overlapping, with no word boundaries (`Iran` is found in
                 `Iranian`), so it does less than the others and finds more.

example:
  python3 benches/peers/peers.py --gazetteer ../shared/bench/gaz-2k.tsv \\
      --corpus ../shared/corpora/wikinews-politics-economy.jsonl --systems flashtext,pyahocorasick
"""
import argparse
import concurrent.futures
import gc
import gzip
import importlib.metadata
import json
import multiprocessing
import os
import platform
import resource
import statistics
import sys
import time

CASE_PREFIXES = "=?~"  # entente's exact / ambiguous / any-case alias prefixes; peers ignore them
PACKAGES = {"flashtext": "flashtext", "ruler": "spacy", "pyahocorasick": "pyahocorasick"}
WARMUP_TERMS, WARMUP_TEXTS = 20, 20  # size of the untimed warm-up build and scan


# ---------------------------------------------------------------------------------------------
# Input


def gazetteer_terms(paths):
    """Return the distinct (label, alias) pairs of the gazetteers at `paths`, in file order.

    A folder stands for every `*.gaz` file in it, a `*.gaz` file is read as an entente gazetteer,
    any other file as TSV `LABEL<TAB>alias`.
    """
    terms = {}
    for path in paths:
        if os.path.isdir(path):
            files = sorted(os.path.join(path, n) for n in os.listdir(path) if n.endswith(".gaz"))
            if not files:
                sys.exit(f"{path}: no *.gaz files in this folder")
        else:
            files = [path]
        for file in files:
            read = read_gaz if file.endswith(".gaz") else read_tsv
            terms.update(dict.fromkeys(read(file)))
    return list(terms)


def read_tsv(path):
    """Yield (label, alias) from `LABEL<TAB>alias` lines; blank lines and `#` lines are skipped."""
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            label, sep, alias = line.partition("\t")
            if not sep or not alias.strip():
                sys.exit(f"{path}:{n}: expected LABEL<TAB>alias")
            yield label.strip(), alias.strip()


def read_gaz(path):
    """Yield (label, alias) for the name and every alias of each entry of an entente `.gaz` file.

    Lines are `id | LABEL | kind | country | name | aliases | roles` (see gazetteers/README.md);
    aliases are `;`-separated and a leading case prefix (`=`, `?`, `~`) is dropped, since none of
    the peers has entente's case policies.
    """
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            fields = [field.strip() for field in line.split("|")]
            if len(fields) < 5:
                sys.exit(f"{path}:{n}: expected at least 5 `|`-separated fields")
            label, name = fields[1], fields[4]
            aliases = fields[5].split(";") if len(fields) > 5 else []
            for alias in [name, *aliases]:
                alias = alias.strip().lstrip(CASE_PREFIXES).strip()
                if alias:
                    yield label, alias


def corpus_texts(path, limit_bytes):
    """Return the `text` fields of a JSONL (or .jsonl.gz) corpus, stopping before their UTF-8
    size would exceed `limit_bytes` (None: read all)."""
    opener = gzip.open if path.endswith(".gz") else open
    texts, size = [], 0
    with opener(path, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            text = json.loads(line).get("text")
            if not isinstance(text, str):
                sys.exit(f"{path}:{n}: no string `text` field")
            b = len(text.encode("utf-8"))
            if limit_bytes is not None and size + b > limit_bytes:
                break
            texts.append(text)
            size += b
    return texts


# ---------------------------------------------------------------------------------------------
# Systems: each has build(terms) -> matcher and scan(matcher, texts) -> number of matches.
# The library is imported in __init__, before the memory baseline and outside the timings.


class FlashText:
    """FlashText KeywordProcessor, case-insensitive; one label per keyword."""

    def __init__(self, options):
        from flashtext import KeywordProcessor
        self.KeywordProcessor = KeywordProcessor

    def build(self, terms):
        kp = self.KeywordProcessor(case_sensitive=False)
        for label, alias in terms:
            kp.add_keyword(alias, label)
        return kp

    def scan(self, kp, texts):
        return sum(len(kp.extract_keywords(text)) for text in texts)


class Ruler:
    """spaCy blank English pipeline with only an EntityRuler of phrase patterns."""

    def __init__(self, options):
        import spacy
        self.spacy = spacy
        self.attr = options["ruler_attr"]

    def build(self, terms):
        nlp = self.spacy.blank("en")
        ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": self.attr})
        ruler.add_patterns([{"label": label, "pattern": alias} for label, alias in terms])
        return nlp

    def scan(self, nlp, texts):
        return sum(len(doc.ents) for doc in nlp.pipe(texts))


class PyAhoCorasick:
    """pyahocorasick Automaton over lowercased aliases; every overlapping hit counts."""

    def __init__(self, options):
        import ahocorasick
        self.ahocorasick = ahocorasick

    def build(self, terms):
        automaton = self.ahocorasick.Automaton()
        for label, alias in terms:
            automaton.add_word(alias.lower(), label)
        automaton.make_automaton()
        return automaton

    def scan(self, automaton, texts):
        return sum(sum(1 for _ in automaton.iter(text.lower())) for text in texts)


SYSTEMS = {"flashtext": FlashText, "ruler": Ruler, "pyahocorasick": PyAhoCorasick}


# ---------------------------------------------------------------------------------------------
# Measuring


def reset_peak_rss():
    """Restart this process's peak-RSS high-water mark from its current RSS.

    Linux (>= 4.0) does this on writing 5 to /proc/self/clear_refs; returns False where that is
    not possible, and the peak then stays the one since the process started.
    """
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def peak_rss_mib():
    """Peak resident set size of this process, in MiB: VmHWM from /proc/self/status, else
    ru_maxrss (KiB on Linux, bytes on macOS)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 2**20 if sys.platform == "darwin" else rss / 1024


def measure(system, options, terms, texts, repeat):
    """Build and scan `repeat` times in this process; return the result row for `system`."""
    impl = SYSTEMS[system](options)
    impl.scan(impl.build(terms[:WARMUP_TERMS]), texts[:WARMUP_TEXTS])  # first-use costs, untimed
    gc.collect()
    rss_reset = reset_peak_rss()
    rss_base = peak_rss_mib()
    builds, scans, scan_cpus, rss_build, rss_peak, matches = [], [], [], None, None, None
    for run in range(1, repeat + 1):
        t0 = time.perf_counter()
        matcher = impl.build(terms)
        t1 = time.perf_counter()
        if rss_build is None:
            rss_build = peak_rss_mib() - rss_base
        c1 = time.process_time()
        found = impl.scan(matcher, texts)
        t2 = time.perf_counter()
        scan_cpus.append(time.process_time() - c1)
        if rss_peak is None:
            rss_peak = peak_rss_mib() - rss_base
        if matches is not None and found != matches:
            raise RuntimeError(f"{system}: {found} matches in run {run}, {matches} before")
        matches = found
        builds.append(t1 - t0)
        scans.append(t2 - t1)
        print(f"  {system} run {run}/{repeat}: build {t1 - t0:.3f} s, scan {t2 - t1:.2f} s,"
              f" {found} matches", file=sys.stderr, flush=True)
        del matcher
        gc.collect()
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    scan_s, scan_cpu_s = statistics.median(scans), statistics.median(scan_cpus)
    return {
        "system": system,
        "version": importlib.metadata.version(PACKAGES[system]),
        "build_s": statistics.median(builds),
        "scan_s": scan_s,
        "scan_cpu_s": scan_cpu_s,
        "mb_per_s": mb / scan_s,
        "mb_per_cpu_s": mb / scan_cpu_s,
        "matches": matches,
        "rss_build_mib": rss_build,
        "rss_peak_mib": rss_peak,
        "rss_peak_reset": rss_reset,
        "build_runs_s": builds,
        "scan_runs_s": scans,
        "scan_cpu_runs_s": scan_cpus,
    }


def measure_in_child(system, options, terms, texts, repeat):
    """Run `measure` in a fresh spawned process, so imports and peak RSS of one system do not
    leak into the next."""
    ctx = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
        return pool.submit(measure, system, options, terms, texts, repeat).result()


def machine():
    """A one-line description of the CPU, core count and Python."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores, {platform.python_implementation()} " \
           f"{platform.python_version()}, {platform.system()} {platform.release()}"


NOTES = {
    "flashtext": "case-insensitive; word boundaries = ASCII [A-Za-z0-9_]",
    "ruler": "spaCy tokenizer + PhraseMatcher on {attr}; doc.ents (longest, non-overlapping)",
    "pyahocorasick": "lowercased; ALL overlapping hits, NO word boundaries",
}


def print_table(report):
    """Print the report as a plain-text table with one line per system."""
    c = report["corpus"]
    print(f"machine   {report['machine']}")
    print(f"gazetteer {', '.join(report['gazetteer']['paths'])}: "
          f"{report['gazetteer']['terms']} distinct (label, alias) pairs")
    print(f"corpus    {c['path']}: {c['documents']} documents, {c['bytes'] / 1e6:.2f} MB of text"
          + (f" (--limit-mb {c['limit_mb']:g})" if c["limit_mb"] is not None else ""))
    print(f"runs      median of {report['repeat']}; single process, single thread")
    reset = all(r["rss_peak_reset"] for r in report["results"])
    print("memory    peak RSS increase over the RSS before the first build, process-wide"
          + ("" if reset else " (peak NOT reset: ru_maxrss since process start)") + "\n")
    head = f"{'system':<14} {'version':<8} {'build s':>8} {'+RSS build':>11} {'+RSS peak':>10}" \
           f" {'scan s':>7} {'cpu s':>7} {'MB/s':>7} {'MB/cpu-s':>8} {'matches':>8}  notes"
    print(head)
    print("-" * len(head))
    for r in report["results"]:
        note = NOTES[r["system"]].format(attr=report["ruler_attr"])
        print(f"{r['system']:<14} {r['version']:<8} {r['build_s']:>8.3f}"
              f" {r['rss_build_mib']:>7.1f} MiB {r['rss_peak_mib']:>6.1f} MiB"
              f" {r['scan_s']:>7.2f} {r['scan_cpu_s']:>7.2f} {r['mb_per_s']:>7.2f}"
              f" {r['mb_per_cpu_s']:>8.2f} {r['matches']:>8}  {note}")


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gazetteer", required=True, nargs="+", metavar="PATH",
                    help="TSV file of LABEL<TAB>alias lines, entente .gaz file(s), or folder(s) "
                         "of .gaz files (every *.gaz in it)")
    ap.add_argument("--corpus", required=True, metavar="PATH",
                    help="JSONL corpus, one object with a `text` field per line (.jsonl.gz too)")
    ap.add_argument("--limit-mb", type=float, metavar="N",
                    help="read documents only while their text stays within N MB (10^6 bytes)")
    ap.add_argument("--systems", default=",".join(SYSTEMS),
                    help="comma-separated, from: %(default)s (default: all)")
    ap.add_argument("--repeat", type=int, default=3,
                    help="build+scan runs per system; times are medians (default: %(default)s)")
    ap.add_argument("--ruler-attr", choices=("ORTH", "LOWER"), default="ORTH",
                    help="token attribute of spaCy's PhraseMatcher: ORTH is case-sensitive, "
                         "LOWER is not (default: %(default)s)")
    ap.add_argument("--json", action="store_true",
                    help="print one JSON object instead of the table")
    args = ap.parse_args()

    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = [s for s in systems if s not in SYSTEMS]
    if unknown or not systems:
        ap.error(f"--systems: unknown {', '.join(unknown) or '(none given)'}; "
                 f"choose from {', '.join(SYSTEMS)}")
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")

    terms = gazetteer_terms(args.gazetteer)
    limit = None if args.limit_mb is None else int(args.limit_mb * 1e6)
    texts = corpus_texts(args.corpus, limit)
    if not terms or not texts:
        sys.exit("nothing to do: the gazetteer or the corpus is empty")
    options = {"ruler_attr": args.ruler_attr}

    report = {
        "machine": machine(),
        "gazetteer": {"paths": args.gazetteer, "terms": len(terms)},
        "corpus": {"path": args.corpus, "documents": len(texts),
                   "bytes": sum(len(t.encode("utf-8")) for t in texts),
                   "limit_mb": args.limit_mb},
        "repeat": args.repeat,
        "ruler_attr": args.ruler_attr,
        "results": [],
    }
    for system in systems:
        print(f"{system}: {len(terms)} terms, {len(texts)} documents", file=sys.stderr, flush=True)
        report["results"].append(measure_in_child(system, options, terms, texts, args.repeat))

    if args.json:
        json.dump(report, sys.stdout, indent=2)
        print()
    else:
        print_table(report)


if __name__ == "__main__":
    main()
