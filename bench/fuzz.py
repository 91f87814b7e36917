"""Fuzz the input path and the default pipeline on arbitrary bytes.

Each input is treated the way the runner treats a file: decoded (UTF-8, a BOM,
UTF-16 or a legacy encoding), or split into JSONL records, then cleaned by the
default pipeline and cleaned a second time. A finding is any exception other
than the ``InputError`` a user would see as ``file:line: message``, and any
output that a second cleaning still changes.

With atheris installed (``pip install atheris``) the run is coverage-guided;
otherwise hypothesis generates the inputs. Findings are saved (input bytes and
traceback) under ``--out`` and the run goes on, so one bug doesn't hide the next.

    python bench/fuzz.py --minutes 10 --data ../shared/data --out /tmp/chipclean-fuzz
    python bench/fuzz.py --replay /tmp/chipclean-fuzz/crash-*.bin   # re-run saved inputs
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STATE = {"execs": 0, "crashes": {}, "nonidempotent": {}, "start": 0.0, "deadline": 0.0, "out": Path("/tmp")}


def _setup():
    from chipclean import Cleaner, Config
    from chipclean.chunks import Job, Wants, clean_job
    from chipclean.io.inputs import InputFile

    cleaner = Cleaner(Config(stages=tuple(s for s in Config().stages if s != "repeats")))
    cleaner.stages  # compile the packs once, outside the timed loop
    return cleaner, Job, Wants(explain=True, audit=True, rejects=True, original=True), clean_job, InputFile


def one_input(data: bytes, env) -> list[str]:
    """Clean one input the way a run cleans a file (the same job function the
    runner calls); raise on a crash or on output that a second cleaning changes."""
    cleaner, Job, wants, clean_job, InputFile = env
    from chipclean import Document

    mode, body = data[:1], data[1:]
    if mode and mode[0] % 3 == 0:
        job = Job(InputFile("fuzz.jsonl", "fuzz.jsonl"), 0, lines=body.splitlines(keepends=True), nbytes=len(body))
    else:
        job = Job(InputFile("fuzz.txt", "fuzz.txt"), 0, data=body, nbytes=len(body))
    res = clean_job(cleaner, job, wants)
    if res.fatal is not None:  # clean_job turns any exception into this
        raise Crash(res.fatal)
    for err in res.errors:
        assert err.path == job.file.path, err
    if res.out is None:
        return []
    if job.is_jsonl:
        outputs = [json.loads(line).get("text") for line in res.out.splitlines()]
        outputs = [t for t in outputs if isinstance(t, str)]
    else:
        outputs = [res.out]
    for text in outputs:
        again = cleaner.clean(Document(text=text, id="again"))
        if again.text != text and not again.dropped:
            raise NonIdempotent(text, again.text, [f"{e.stage}:{e.rule}" for e in again.edits])
    return outputs


class Crash(Exception):
    pass


class NonIdempotent(AssertionError):
    def __init__(self, first: str, second: str, rules: list[str]):
        self.first, self.second, self.rules = first, second, rules
        super().__init__(f"second cleaning changed the output again ({', '.join(sorted(set(rules)))})")


def _signature(exc: BaseException) -> str:
    if isinstance(exc, NonIdempotent):
        return "nonidempotent:" + ",".join(sorted(set(exc.rules)))
    if isinstance(exc, Crash):
        return "fatal:" + str(exc)[:120]
    tb = traceback.extract_tb(exc.__traceback__)
    inner = [fr for fr in tb if "chipclean" in fr.filename] or tb
    last = inner[-1] if inner else None
    where = f"{Path(last.filename).name}:{last.lineno}" if last else "?"
    return f"{type(exc).__name__}@{where}"


def record(data: bytes, exc: BaseException) -> None:
    sig = _signature(exc)
    table = STATE["nonidempotent"] if isinstance(exc, NonIdempotent) else STATE["crashes"]
    entry = table.setdefault(sig, {"count": 0, "example": None})
    entry["count"] += 1
    if entry["example"] is None:
        name = ("nonidem-" if isinstance(exc, NonIdempotent) else "crash-") + hashlib.sha1(data).hexdigest()[:12]
        out = STATE["out"]
        out.mkdir(parents=True, exist_ok=True)
        (out / f"{name}.bin").write_bytes(data)
        (out / f"{name}.txt").write_text(
            sig + "\n" + "".join(traceback.format_exception(exc)), encoding="utf-8", errors="replace"
        )
        entry["example"] = str(out / f"{name}.bin")
        print(f"\nfinding {sig}: {entry['example']}", file=sys.stderr, flush=True)


def guarded(data: bytes, env) -> None:
    STATE["execs"] += 1
    try:
        one_input(data, env)
    except RecursionError as exc:  # counts as a crash too, but keep going
        record(data, exc)
    except Exception as exc:  # noqa: BLE001 - everything is a finding
        record(data, exc)
    now = time.monotonic()
    if now > STATE["deadline"]:
        # libFuzzer never returns from Fuzz(): finish here
        summary = write_summary()
        print(json.dumps(summary, indent=2), flush=True)
        os._exit(1 if summary["crashes"] else 0)
    if now - STATE.get("saved", 0.0) > 30:
        STATE["saved"] = now
        write_summary()


def write_summary() -> dict:
    elapsed = time.monotonic() - STATE["start"]
    summary = {
        "engine": STATE["engine"],
        "seconds": round(elapsed, 1),
        "executions": STATE["execs"],
        "execs_per_second": round(STATE["execs"] / max(elapsed, 1e-9), 1),
        "crashes": dict(sorted(STATE["crashes"].items())),
        "nonidempotent": dict(sorted(STATE["nonidempotent"].items())),
    }
    out = STATE["out"]
    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    return summary


def seed_corpus(data_dir: Path, corpus: Path) -> None:
    """Real text to mutate from: our samples, the seed articles, ftfy cases."""
    corpus.mkdir(parents=True, exist_ok=True)
    texts: list[bytes] = []
    for p in sorted((ROOT / "samples").glob("*.txt")):
        texts.append(p.read_bytes())
    seeds = data_dir.parent / "seeds"
    for p in sorted(seeds.glob("*.txt")) if seeds.is_dir() else ():
        texts.append(p.read_bytes()[:4000])
    for p in sorted((data_dir / "ftfy").glob("*.json"))[:5]:
        try:
            cases = json.loads(p.read_text(encoding="utf-8"))
        except (ValueError, OSError):
            continue
        for case in cases[:50] if isinstance(cases, list) else ():
            if isinstance(case, dict) and isinstance(case.get("original"), str):
                texts.append(case["original"].encode("utf-8", "surrogatepass"))
    for i, t in enumerate(texts):
        (corpus / f"seed-{i:03d}-txt").write_bytes(b"\x01" + t)
        rec = json.dumps({"id": i, "text": t.decode("utf-8", "replace")}, ensure_ascii=False)
        (corpus / f"seed-{i:03d}-jsonl").write_bytes(b"\x00" + rec.encode() + b"\n")


def run_atheris(env, corpus: Path) -> None:
    import atheris

    def test_one(data: bytes) -> None:
        guarded(data, env)

    argv = [sys.argv[0], str(corpus), "-max_len=8192", "-rss_limit_mb=4096", "-timeout=60"]
    atheris.Setup(argv, test_one)
    atheris.Fuzz()


def run_hypothesis(env) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    texty = st.text(alphabet=st.characters(codec="utf-8"), max_size=2000).map(lambda s: s.encode("utf-8"))
    raw = st.binary(max_size=4000)

    @settings(max_examples=10**9, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.sampled_from([b"\x00", b"\x01"]), st.one_of(texty, raw))
    def prop(mode: bytes, body: bytes) -> None:
        guarded(mode + body, env)

    prop()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=Path("/tmp/chipclean-fuzz"))
    ap.add_argument("--engine", choices=("auto", "atheris", "hypothesis"), default="auto")
    ap.add_argument("--replay", nargs="*", type=Path, help="run saved inputs and print what happens")
    args = ap.parse_args()
    STATE["out"] = args.out
    if args.replay:
        env = _setup()
        for p in args.replay:
            try:
                one_input(p.read_bytes(), env)
                print(f"{p}: ok")
            except Exception as exc:  # noqa: BLE001
                print(f"{p}: {_signature(exc)}: {exc}")
        return 0
    engine = args.engine
    if engine == "auto":
        try:
            import atheris  # noqa: F401

            engine = "atheris"
        except ImportError:
            engine = "hypothesis"
    if engine == "atheris":
        import atheris

        with atheris.instrument_imports(include=["chipclean"]):
            env = _setup()
    else:
        env = _setup()
    STATE["engine"] = engine
    STATE["start"] = time.monotonic()
    STATE["deadline"] = STATE["start"] + args.minutes * 60
    if engine == "atheris":
        seed_corpus(args.data, args.out / "corpus")
        run_atheris(env, args.out / "corpus")
    else:
        run_hypothesis(env)
    summary = write_summary()  # only reached if the engine stops on its own
    print(json.dumps(summary, indent=2))
    return 1 if summary["crashes"] else 0


if __name__ == "__main__":
    sys.exit(main())
