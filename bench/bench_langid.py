"""Language identification: accuracy on sentences and short snippets, the
zh-Hans/zh-Hant split on paragraphs, and speed against plain langdetect.

Reads the lingua sentence files (``<data>/langid/<lang>.txt``, one sentence a
line) by path and writes nothing.

    python bench/bench_langid.py --data ../shared/data [--backend fasttext]

Snippets are the first two words of each sentence; for Chinese, Japanese and
Korean, the first 2, 3 or 4 characters (in turn) from the first letter. For
zh, the tags zh, zh-Hans and zh-Hant all count as correct. The speed run times
the default pipeline stage work (document language and the languages of its
paragraphs) against ``langdetect.detect`` on each whole document of a mixed
corpus (documents of 20 sentences in each language, and English documents
with a Chinese paragraph), side by side in one run.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chipclean.lang import Identifier, present_languages  # noqa: E402

CJK = ("zh", "ja", "ko")


def load(data: Path, limit: int | None) -> dict[str, list[str]]:
    folder = data / "langid"
    files = sorted(folder.glob("*.txt"))
    if not files:
        sys.exit(f"error: no sentence files in {folder}")
    out = {}
    for f in files:
        lines = [line.strip() for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
        out[f.stem] = lines[:limit] if limit else lines
    return out


def snippet(lang: str, sentence: str, i: int) -> str:
    if lang in CJK:
        start = next((k for k, c in enumerate(sentence) if c.isalpha()), 0)
        return sentence[start : start + 2 + i % 3]
    return " ".join(sentence.split()[:2])


def correct(gold: str, got: str) -> bool:
    if gold == "zh":
        return got in ("zh", "zh-Hans", "zh-Hant", "zh-cn", "zh-tw")
    return got == gold


def langdetect_plain():
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0

    def run(text: str) -> str:
        try:
            return detect(text)
        except LangDetectException:
            return "und"

    return run


def accuracy(texts: dict[str, list[str]], fn) -> dict[str, float]:
    return {lang: 100.0 * sum(correct(lang, fn(t)) for t in items) / len(items) for lang, items in texts.items() if items}


def table(title: str, columns: dict[str, dict[str, float]]) -> None:
    names = list(columns)
    langs = sorted(next(iter(columns.values())))
    print(f"\n{title}")
    print(f"{'lang':<6}" + "".join(f"{n:>13}" for n in names))
    for lang in langs:
        print(f"{lang:<6}" + "".join(f"{columns[n][lang]:>12.1f}%" for n in names))
    print(f"{'mean':<6}" + "".join(f"{sum(c.values()) / len(c):>12.1f}%" for c in columns.values()))


def hans_hant(sentences: list[str], ident: Identifier) -> None:
    import opencc

    t2s, s2t, s2tw, s2hk = (opencc.OpenCC(c) for c in ("t2s", "s2t", "s2tw", "s2hk"))
    paras = ["".join(sentences[i : i + 3]) for i in range(0, len(sentences) - 2, 3)]
    simplified = [t2s.convert(p) for p in paras]
    cases = {"zh-Hans (t2s)": ("zh-Hans", simplified)}
    for name, conv in (("s2t", s2t), ("s2tw", s2tw), ("s2hk", s2hk)):
        cases[f"zh-Hant ({name})"] = ("zh-Hant", [conv.convert(p) for p in simplified])
    print(f"\nzh-Hans vs zh-Hant on {len(paras)} paragraphs of 3 sentences (built with OpenCC)")
    total = right = 0
    for name, (gold, items) in cases.items():
        ok = sum(ident.identify(p).lang == gold for p in items)
        total += len(items)
        right += ok
        print(f"  {name:<16} {100.0 * ok / len(items):6.1f}%")
    print(f"  {'all':<16} {100.0 * right / total:6.1f}%")


def corpus(texts: dict[str, list[str]], seeds: Path) -> list[str]:
    docs = []
    for lang in sorted(texts):
        items = texts[lang]
        docs.extend("\n".join(items[i : i + 20]) for i in range(0, len(items), 20))
    en, zh = texts.get("en", []), texts.get("zh", [])
    for i in range(0, min(len(en), len(zh)) - 20, 20):
        docs.append("\n".join(en[i : i + 17] + zh[i : i + 3]))
    docs.extend(p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt")))
    return docs


def speed(docs: list[str], ident: Identifier, plain) -> None:
    def ours(text: str) -> None:
        verdict = ident.identify(text)
        present_languages(text, verdict, ident)

    for warm in ("The company said.", "公司表示。", "公司表示。"):  # load models and tables before timing
        ours(warm), plain(warm)
    t_ours = t_plain = 0.0
    for doc in docs:  # interleaved, so load on the shared machine hits both alike
        t0 = time.perf_counter()
        ours(doc)
        t1 = time.perf_counter()
        plain(doc)
        t2 = time.perf_counter()
        t_ours += t1 - t0
        t_plain += t2 - t1
    size = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    steps = Counter(ident.identify(d).by for d in docs)
    print(f"\nspeed on {len(docs)} documents ({size:.2f} MB, mixed languages)")
    print("  decided by: " + ", ".join(f"{k} {100.0 * v / len(docs):.0f}%" for k, v in sorted(steps.items())))
    print(f"  langdetect.detect, whole document  {t_plain:7.2f} s  {size / t_plain:7.2f} MB/s")
    print(f"  chipclean langid ({ident.backend_name:<10})     {t_ours:7.2f} s  {size / t_ours:7.2f} MB/s")
    print(f"  speed ratio: {t_plain / t_ours:.1f}x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--backend", default="langdetect", choices=("langdetect", "fasttext"))
    ap.add_argument("--limit", type=int, help="sentences per language (default: all)")
    ap.add_argument("--no-baseline", action="store_true", help="skip plain langdetect accuracy")
    args = ap.parse_args()

    texts = load(args.data, args.limit)
    snippets = {lang: [snippet(lang, s, i) for i, s in enumerate(items)] for lang, items in texts.items()}
    ident = Identifier(args.backend)
    plain = langdetect_plain()

    def ours(text: str) -> str:
        return ident.identify(text).lang

    for title, sample in (("sentences", texts), ("snippets (2 words; 2-4 characters for zh ja ko)", snippets)):
        columns = {"chipclean": accuracy(sample, ours)}
        if not args.no_baseline:
            columns["langdetect"] = accuracy(sample, plain)
        table(f"accuracy on {title}, backend {args.backend}", columns)
    if "zh" in texts:
        hans_hant(texts["zh"], ident)
    speed(corpus(texts, args.data.parent / "seeds"), ident, plain)


if __name__ == "__main__":
    main()
