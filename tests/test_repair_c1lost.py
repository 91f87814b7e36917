"""UTF-8 seen as Latin-1 with the C1 controls stripped: "Itâs" for "It’s"."""

import pytest

from chipclean.config import Config
from chipclean.mojibake import c1lost
from chipclean.pipeline import Cleaner

REPAIR = Cleaner(Config(stages=("repair",)))


def c1_stripped(text: str) -> str:
    return "".join(ch for ch in text.encode("utf-8").decode("latin-1") if not "\x80" <= ch <= "\x9f")


@pytest.mark.parametrize(
    "good",
    [
        "It’s a “big” deal — really.",  # ’ “ ” — each left only its "â"
        "We’ll see: “AI” chips aren’t cheap.",
        "Nvidia’s lead, pages 10–20… and more™ at the café.",
        "• Bullet one",  # • keeps its last byte: "â¢"
        "Apple™ chips",  # ™ is "â¢" too; after a name it is the trade mark
        "▸ However, try again",
        "⚡ Fast charging",
        "Read more →",
    ],
)
def test_marks_are_read_back_from_their_place(good):
    broken = c1_stripped(good)
    assert broken != good
    result = REPAIR.clean_text(broken)
    assert result.text == good
    assert "repair.c1-stripped" in [e.rule for e in result.edits]


@pytest.mark.parametrize(
    "text",
    [
        "Le dégât est âgé",  # French: â is a letter
        "Un mât et la pâte",
        "âge",
        "Os mâts do navio",
        "Grâce à l'âge",
        "Ân Vân",
    ],
)
def test_real_latin1_text_with_a_circumflex_is_left_alone(text):
    assert c1lost.repair_line(text) == []
    assert REPAIR.clean_text(text).text == text


def test_an_unclear_bare_mark_is_left_as_it_is():
    # an opening mark with no closing one on the line: which quote it was is a guess
    line = c1_stripped("He said “it works")
    assert REPAIR.clean_text(line).text == line


def test_marks_under_a_layer_of_windows_1252_mojibake_are_read_in_the_same_pass():
    # ftfy undoes the outer layer ("Ã¢" -> "â"), and the marks are read right after
    good = "It’s a “big” deal — really."
    outer = c1_stripped(good).encode("utf-8").decode("cp1252")
    result = REPAIR.clean_text(outer)
    assert result.text == good
    assert REPAIR.clean_text(result.text).text == good
