"""Entity precision and recall on a labelled corpus in zh-Hans, zh-Hant and
English (tests/test_entities_corpus.txt), and no change outside mentions."""

from pathlib import Path

import regex

from chipclean.config import Config
from chipclean.document import Document
from chipclean.rulepack import RuleSet
from chipclean.stages.entities import EntitiesStage

CORPUS = Path(__file__).with_suffix(".txt")
LABEL = regex.compile(r"\[\[([a-z0-9-]+)\|([^\]]+)\]\]|\{\{([a-z0-9-]+)\|([^}]+)\}\}")
RULES = RuleSet.load()


def load_corpus():
    """(lang, text, gold mentions {(start, end, id)}, gold named mentions)."""
    docs = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lang, _, marked = line.partition(": ")
        text, gold, named, pos = [], set(), set(), 0
        last = 0
        for m in LABEL.finditer(marked):
            text.append(marked[last : m.start()])
            pos += m.start() - last
            eid, surface = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            (gold if m.group(1) else named).add((pos, pos + len(surface), eid))
            text.append(surface)
            pos += len(surface)
            last = m.end()
        text.append(marked[last:])
        docs.append((lang, "".join(text), gold, named))
    return docs


def _short(rule_id: str) -> str:
    return rule_id.split(".", 1)[1]


def _tagged(lang, text):
    stage = EntitiesStage(Config(entities="tag", stages=("entities",)), RULES)
    doc = Document(text=text, lang=lang)
    stage.process(doc)
    assert doc.text == text  # tag mode never edits
    return doc.metadata.get("entities", [])


def test_precision_and_recall():
    tp = fp = fn = 0
    problems = []
    docs = load_corpus()
    for lang, text, gold, named in docs:
        found = _tagged(lang, text)
        predicted = {(e["span"][0], e["span"][1], _short(e["id"])) for e in found if not e.get("named")}
        predicted_named = {(e["span"][0], e["span"][1], _short(e["id"])) for e in found if e.get("named")}
        tp += len(predicted & gold)
        fp += len(predicted - gold)
        fn += len(gold - predicted)
        for s, e, eid in sorted(predicted - gold):
            problems.append(f"false positive {eid} {text[s:e]!r} in {text!r}")
        for s, e, eid in sorted(gold - predicted):
            problems.append(f"missed {eid} {text[s:e]!r} in {text!r}")
        if predicted_named != named:
            problems.append(f"named mentions {predicted_named} != {named} in {text!r}")
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    summary = f"precision {precision:.3f}, recall {recall:.3f} ({tp} found, {fp} wrong, {fn} missed)"
    assert len(docs) >= 80 and tp >= 180, summary
    assert precision == 1.0 and recall >= 0.98, summary + "\n" + "\n".join(problems)
    assert not [p for p in problems if p.startswith("named")], "\n".join(problems)


def test_canonical_changes_nothing_outside_mentions():
    for lang, text, gold, named in load_corpus():
        for target in ("keep", "hans", "tw", "hk"):
            stage = EntitiesStage(Config(zh_script=target, stages=("entities",)), RULES)
            doc = Document(text=text, lang=lang)
            stage.process(doc)
            spans = {(s, e) for s, e, _ in gold}
            for edit in doc.edits:
                assert (edit.start, edit.end) in spans, f"{edit} outside a labelled mention in {text!r}"
            assert not any((e.start, e.end) in {(s, t) for s, t, _ in named} for e in doc.edits)
