"""The ``repeats`` stage: injected site chrome found without any pack, repeated
real sentences left alone, and peak memory on a large corpus.

A JSONL corpus of news-like pages (paragraphs of lingua sentences from
``<data>/langid/*.txt``, read by path) is spread over sites (a ``url`` field).
Each site injects chrome lines no pack names (navigation strips, follow and
membership prompts, in English and Chinese) into most of its pages. Real
sentences are also repeated on purpose: a pool of long sentences and quotes, and
a pool of short real lines, each put into 1-3% of all pages across sites. After
``chipclean clean --only repeats`` (two passes over the files), lines are
compared by letters and digits.

    python bench/bench_repeats.py --data ../shared/data [--docs 10000]
    python bench/bench_repeats.py --data ../shared/data --memory-mb 1024

``--memory-mb`` writes a corpus of that size to a temporary folder and runs
the CLI on it in a child process, sampling the resident memory of the process
and its workers; it reports the peak of the largest process and of their sum,
with ``--jobs 1`` and with the default number of workers. Nothing is written
into the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chipclean.stages.repeats import line_key  # noqa: E402

LANGS = ("en", "zh", "de", "fr", "es", "ru")
EN_SITES = ["harbordaily", "ledger", "metrowire", "pacificpost", "chiptimes", "northstar", "citydesk",
            "valleynews", "marketbeat", "techpulse"]
ZH_SITES = ["gangwan", "caijing", "keji", "jinrong", "haiwai", "dushi"]
OTHER_SITES = ["zeitung", "journal", "diario", "gazeta"]


def site_chrome(site: str, lang: str) -> list[str]:
    name = site.capitalize()
    if lang == "zh":
        return [
            f"{site}首页 | 要闻 | 财经 | 科技 | 视频",
            f"关注{site}视频号 获取更多一手资讯",
            f"{site}会员专享 早鸟价限时开放",
        ]
    return [
        f"{name} · World · Markets · Tech · Opinion · Video",
        f"Follow {name} on Mastodon and Bluesky",
        f"{name} members get early access to live events",
    ]


def load(data: Path) -> dict[str, list[str]]:
    out = {}
    for lang in LANGS:
        path = data / "langid" / f"{lang}.txt"
        if not path.is_file():
            sys.exit(f"error: {path} not found; pass --data pointing at the shared data folder")
        out[lang] = [l.strip() for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
    return out


def sites() -> list[tuple[str, str]]:
    return [(s, "en") for s in EN_SITES] + [(s, "zh") for s in ZH_SITES] + \
        [(s, LANGS[2 + i % 4]) for i, s in enumerate(OTHER_SITES)]


class Corpus:
    def __init__(self, sentences: dict[str, list[str]], seed: int):
        self.rng = random.Random(seed)
        self.sentences = sentences
        self.sites = sites()
        rng = self.rng
        en = [s for s in sentences["en"] if len(s.split()) >= 10 and s.endswith(".")]
        zh = [s for s in sentences["zh"] if len(s) >= 25 and s.endswith("。")]
        self.long_repeated = rng.sample(en, 20) + rng.sample(zh, 10) + [
            '"We remain committed to our customers in every market," the chief executive said.',
            "The company did not respond to a request for comment.",
            "Shares of the company were little changed in early trading.",
        ]
        short = [s for s in sentences["en"] if 2 <= len(s.split()) <= 5]
        self.short_repeated = rng.sample(short, 10)

    def page(self, i: int) -> tuple[str, str, list[tuple[str, str]]]:
        """(id, url, [(line, label)]) with label chrome / long / short / content / blank."""
        rng = self.rng
        site, lang = self.sites[i % len(self.sites)]
        pool = self.sentences[lang]
        join = "" if lang == "zh" else " "
        lines: list[tuple[str, str]] = [(join.join(rng.sample(pool, 1))[:80], "content")]
        chrome = site_chrome(site, lang)
        for c in chrome[:2]:
            if rng.random() < 0.8:
                lines.append((c, "chrome"))
        for _ in range(rng.randint(3, 8)):
            lines.append(("", "blank"))
            lines.append((join.join(rng.sample(pool, rng.randint(2, 4))), "content"))
        if rng.random() < 0.6:  # 1-3% of pages each, across sites
            lines.append(("", "blank"))
            lines.append((rng.choice(self.long_repeated), "long"))
        if rng.random() < 0.2:
            lines.append(("", "blank"))
            lines.append((rng.choice(self.short_repeated), "short"))
        if rng.random() < 0.7:
            lines.append(("", "blank"))
            lines.append((chrome[2], "chrome"))
        return f"d{i}", f"https://www.{site}.example/{lang}/{i}", lines


def write_corpus(path: Path, corpus: Corpus, docs: int | None = None, mb: float | None = None) -> list:
    pages = []
    size = 0
    i = 0
    with open(path, "w", encoding="utf-8") as fh:
        while (docs is not None and i < docs) or (mb is not None and size < mb * 1e6):
            pid, url, lines = corpus.page(i)
            rec = json.dumps({"id": pid, "url": url, "text": "\n".join(l for l, _ in lines)}, ensure_ascii=False) + "\n"
            fh.write(rec)
            size += len(rec.encode("utf-8"))
            if docs is not None:
                pages.append(lines)
            i += 1
    return pages


def accuracy(args, sentences) -> None:
    corpus = Corpus(sentences, args.seed)
    with tempfile.TemporaryDirectory(prefix="chipclean-bench-") as tmp:
        src, out = Path(tmp) / "corpus.jsonl", Path(tmp) / "out.jsonl"
        pages = write_corpus(src, corpus, docs=args.docs)
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "chipclean", "clean", "--only", "repeats", "-q",
                               "-o", str(out), str(src)], capture_output=True, text=True)
        secs = time.perf_counter() - t0
        if proc.returncode != 0:
            sys.exit(f"error: chipclean failed: {proc.stderr}")
        texts = [json.loads(l)["text"] for l in out.read_text(encoding="utf-8").splitlines()]
    res: Counter = Counter()
    lost: Counter = Counter()
    left: Counter = Counter()
    for lines, text in zip(pages, texts):
        have = Counter(line_key(l) for l in text.splitlines())
        for line, label in lines:
            key = line_key(line)
            if label == "blank" or not key:
                continue
            present = have[key] > 0
            if present:
                have[key] -= 1
            res[label] += 1
            res[label + "_kept"] += present
            if present and label == "chrome":
                left[line] += 1
            if not present and label != "chrome":
                lost[(label, line[:90])] += 1
    print(f"{args.docs} pages on {len(sites())} sites, seed {args.seed}; --only repeats took {secs:.1f}s\n")
    print(f"{'lines':<34} {'total':>8} {'kept':>8} {'removed':>8} {'kept %':>8}")
    for label, what in (("chrome", "injected chrome (no pack)"), ("long", "repeated real sentences, long"),
                        ("short", "repeated real lines, short"), ("content", "other content lines")):
        n, k = res[label], res[label + "_kept"]
        print(f"{what:<34} {n:>8} {k:>8} {n - k:>8} {100 * k / max(n, 1):>7.2f}%")
    if left:
        print("\nchrome left:")
        for line, n in left.most_common(8):
            print(f"  {n:>5}  {line}")
    if lost:
        print("\nreal lines removed:")
        for (label, line), n in lost.most_common(12):
            print(f"  {n:>5}  {label:<7} {line}")


# -- memory --------------------------------------------------------------------


def _tree_rss(root: int) -> tuple[int, int]:
    """(largest, total) resident set size in kB of ``root`` and its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{d}/statm") as fh:
                pages = int(fh.read().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        pid, ppid = int(d), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = pages * os.sysconf("SC_PAGE_SIZE") // 1024
    todo, seen = [root], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo.extend(children.get(p, ()))
    sizes = [rss.get(p, 0) for p in seen]
    return max(sizes, default=0), sum(sizes)


def measure(cmd: list[str]) -> tuple[float, int, int, int]:
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak_one = peak_sum = 0
    while proc.poll() is None:
        one, total = _tree_rss(proc.pid)
        peak_one, peak_sum = max(peak_one, one), max(peak_sum, total)
        time.sleep(0.2)
    err = proc.stderr.read()
    if proc.returncode != 0:
        sys.exit(f"error: {' '.join(cmd)} failed:\n{err[-2000:]}")
    return time.perf_counter() - t0, peak_one, peak_sum, proc.returncode


def memory(args, sentences) -> None:
    corpus = Corpus(sentences, args.seed)
    with tempfile.TemporaryDirectory(prefix="chipclean-bench-") as tmp:
        src = Path(tmp) / "big.jsonl"
        t0 = time.perf_counter()
        write_corpus(src, corpus, mb=args.memory_mb)
        size = src.stat().st_size
        lines = sum(1 for _ in open(src, "rb"))
        print(f"corpus: {size / 1e6:,.0f} MB, {lines:,} pages on {len(sites())} sites (written in {time.perf_counter() - t0:.0f}s)\n")
        print(f"{'run':<34} {'seconds':>8} {'MB/s':>6} {'peak RSS, largest process':>26} {'peak RSS, all processes':>24}")
        for jobs in args.jobs:
            out = Path(tmp) / "out.jsonl"
            cmd = [sys.executable, "-m", "chipclean", "clean", "--only", "repeats", "-q", "-o", str(out), str(src)]
            if jobs:
                cmd[4:4] = ["--jobs", str(jobs)]
            secs, one, total, _ = measure(cmd)
            label = f"--only repeats --jobs {jobs or 'default'}"
            print(f"{label:<34} {secs:>8.0f} {size / 1e6 / secs:>6.1f} {one / 1024:>23.0f} MB {total / 1024:>21.0f} MB")
            out.unlink(missing_ok=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--docs", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--memory-mb", type=float, default=0, help="also measure peak memory on a corpus this big")
    ap.add_argument("--jobs", type=int, nargs="*", default=[1, 0], help="worker counts for the memory run (0: default)")
    args = ap.parse_args()
    sentences = load(args.data)
    if args.docs:
        accuracy(args, sentences)
    if args.memory_mb:
        print()
        memory(args, sentences)


if __name__ == "__main__":
    main()
