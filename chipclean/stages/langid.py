"""``langid``: tag each document with a BCP-47 language and a confidence.

A tagger: it writes ``doc.lang``, ``doc.lang_score`` and metadata, never edits.
The script cascade in :mod:`chipclean.lang` decides what script alone can
decide; the backend (langdetect, seeded) sees only what is left, on a bounded
sample. ``--keep-lang`` / ``--drop-lang`` reject documents here, with the
reason, so the runner can write them to ``--rejects``.

Metadata: ``lang``, ``lang_score``, ``lang_by`` (the deciding step),
``langs`` (sorted languages present in the paragraphs, always) and, with
``--segments``, ``segments`` (start, end, lang, score, preview).
"""

from __future__ import annotations

from ..lang import Identifier, present_languages, segments
from ..rulepack import lang_matches
from .base import Stage


class LangIdStage(Stage):
    name = "langid"

    def __init__(self, config, rules):
        super().__init__(config, rules)
        self.identifier = Identifier(config.lang_backend)
        if config.lang_backend != "langdetect":
            # a missing optional backend is a configuration error, said up front
            self.identifier.backend

    def process(self, doc) -> None:
        verdict = self.identifier.identify(doc.text)
        doc.lang = verdict.lang
        doc.lang_score = verdict.score
        meta = doc.metadata
        meta["lang"] = verdict.lang
        meta["lang_score"] = verdict.score
        meta["lang_by"] = verdict.by
        meta["langs"] = present_languages(doc.text, verdict, self.identifier)
        if self.config.segments:
            meta["segments"] = segments(doc.text, self.identifier, verdict)
        reason = self._rejected(verdict.lang)
        if reason:
            doc.dropped = reason

    def _rejected(self, lang: str) -> str | None:
        keep, drop = self.config.keep_lang, self.config.drop_lang
        if keep and not lang_matches(keep, [lang]):
            return f"langid: language {lang} not in --keep-lang {','.join(keep)}"
        if drop and lang_matches(drop, [lang]):
            return f"langid: language {lang} in --drop-lang {','.join(drop)}"
        return None
