"""The OpenCC answers kept in the cache file are what OpenCC gives, and a
process that finds them loads no OpenCC dictionary."""

import json
import os
import subprocess
import sys

from chipclean.zh.convert import converter
from chipclean.zh.script import compute_char_tables

TEXT = "英伟达与臺積電的芯片。Nvidia and TSMC."
CLEANED = "英伟达与台积电的芯片。Nvidia and TSMC."
CODE = (
    "import sys; from chipclean.config import Config; from chipclean.document import Document;"
    "from chipclean.pipeline import Cleaner; from chipclean.zh.convert import converter;"
    "doc = Cleaner(Config()).clean(Document(sys.argv[1]));"
    "print(doc.text); print(converter.cache_info().currsize)"
)


def fresh_process(cache: str) -> list[str]:
    env = dict(os.environ, CHIPCLEAN_CACHE_DIR=cache)
    out = subprocess.run([sys.executable, "-c", CODE, TEXT], capture_output=True, text=True, check=True, env=env)
    return out.stdout.split("\n")[:2]


def test_second_process_reads_the_cache_and_loads_no_dictionary(tmp_path):
    first = fresh_process(str(tmp_path))
    assert first[0] == CLEANED and first[1] != "0"  # worked out with OpenCC
    files = list(tmp_path.glob("opencc-*.json"))
    assert len(files) == 1
    assert not list(tmp_path.glob(".opencc-*"))  # no temporary left behind
    assert fresh_process(str(tmp_path)) == [CLEANED, "0"]


def test_cached_answers_are_opencc_s(tmp_path):
    fresh_process(str(tmp_path))
    kept = json.loads(next(tmp_path.glob("opencc-*.json")).read_text(encoding="utf-8"))
    simp, trad = compute_char_tables()
    assert kept["tables"]["simp"] == ["".join(simp), "".join(simp.values())]
    assert kept["tables"]["trad"] == ["".join(trad), "".join(trad.values())]
    assert set(kept["convert"]) == {"s2t", "s2tw", "s2hk"}
    for config, table in kept["convert"].items():
        assert table
        for text, out in table.items():
            assert converter(config).convert(text) == out, (config, text)


def test_cache_turned_off_writes_nothing(tmp_path):
    env_home = tmp_path / "home"
    env = dict(os.environ, CHIPCLEAN_CACHE_DIR="", HOME=str(env_home), XDG_CACHE_HOME=str(tmp_path / "xdg"))
    out = subprocess.run([sys.executable, "-c", CODE, TEXT], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.split("\n")[0] == CLEANED
    assert not (tmp_path / "xdg").exists() and not env_home.exists()


def test_a_broken_or_unwritable_cache_is_not_used(tmp_path):
    (tmp_path / "bad").mkdir()
    fresh = fresh_process(str(tmp_path / "bad"))
    cache = next((tmp_path / "bad").glob("opencc-*.json"))
    cache.write_text("{not json", encoding="utf-8")
    assert fresh_process(str(tmp_path / "bad"))[0] == fresh[0]
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    assert fresh_process(str(blocker / "cache"))[0] == CLEANED
