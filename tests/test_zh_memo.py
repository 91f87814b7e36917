"""The OpenCC conversions kept in ``converted.json`` are what OpenCC gives, and
they cover every conversion the shipped packs need."""

import json
import subprocess
import sys

import opencc
import pytest

from chipclean.zh.convert import MEMO_FILE, converter
from chipclean.zh.script import compute_char_tables

KEPT = json.loads(MEMO_FILE.read_text(encoding="utf-8"))

same_opencc = pytest.mark.skipif(
    KEPT["opencc"] != opencc.__version__, reason="kept conversions come from another OpenCC: they are not used"
)


@same_opencc
def test_kept_character_tables_are_opencc_s():
    simp, trad = compute_char_tables()
    assert KEPT["tables"]["simp"] == ["".join(simp), "".join(simp.values())]
    assert KEPT["tables"]["trad"] == ["".join(trad), "".join(trad.values())]
    assert len(simp) > 2000 and len(trad) > 2000


@same_opencc
def test_kept_conversions_are_opencc_s():
    assert set(KEPT["convert"]) == {"s2t", "s2tw", "s2hk"}
    for config, table in KEPT["convert"].items():
        assert table
        for text, out in table.items():
            assert converter(config).convert(text) == out, (config, text)


@same_opencc
def test_the_shipped_packs_need_no_opencc_dictionary():
    # a fresh process: cleaning Chinese text with the default packs loads no
    # converter (after changing their Chinese names: python -m chipclean.zh.memo)
    code = (
        "from chipclean.config import Config; from chipclean.document import Document;"
        "from chipclean.pipeline import Cleaner; from chipclean.zh.convert import converter;"
        "doc = Cleaner(Config()).clean(Document('英伟达与臺積電的芯片。Nvidia and TSMC.'));"
        "print(doc.text); print(converter.cache_info().currsize)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split("\n")[:2] == ["英伟达与台积电的芯片。Nvidia and TSMC.", "0"]
