"""Summarise an audit file for a curator: removals per rule and per source,
and a sample of removed lines shown between their neighbours, as one static
HTML page (no scripts, no network) or a plain-text table.

The audit is read as a stream and only counters and a fixed number of samples
per rule are kept, so an audit of millions of edits fits in memory. Samples
are the edits with the smallest hash of (document, position): the same audit
always gives the same page.
"""

from __future__ import annotations

import heapq
import html
import json
from collections import Counter
from dataclasses import dataclass, field
from hashlib import blake2b
from pathlib import Path

from .stages.repeats import source_key

SAMPLES_PER_RULE = 8
TOP_SOURCES = 50


@dataclass
class RuleCounts:
    edits: int = 0
    removals: int = 0
    lines: int = 0
    chars: int = 0
    docs: int = 0
    last_doc: str | None = None


@dataclass
class Review:
    audit: str
    samples_per_rule: int = SAMPLES_PER_RULE
    rules: dict[str, RuleCounts] = field(default_factory=dict)
    stages: dict[str, str] = field(default_factory=dict)  # rule -> stage
    sources: Counter = field(default_factory=Counter)  # removals per source
    source_docs: Counter = field(default_factory=Counter)
    samples: dict[str, list] = field(default_factory=dict)  # rule -> heap of (-rank, n, record)
    docs: int = 0
    _last_doc: str | None = None
    _last_source_doc: dict[str, str] = field(default_factory=dict)
    records: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, rec: dict) -> None:
        self.records += 1
        rule = str(rec.get("rule", "?"))
        doc = str(rec.get("doc", ""))
        source = str(rec.get("source", ""))
        before, after = str(rec.get("before", "")), str(rec.get("after", ""))
        counts = self.rules.setdefault(rule, RuleCounts())
        self.stages.setdefault(rule, str(rec.get("stage", "")))
        counts.edits += 1
        # an audit lists a document's edits together, so distinct documents
        # are counted without remembering them all
        if doc != self._last_doc:
            self.docs += 1
            self._last_doc = doc
        if not (before.strip() and not after.strip()):
            return
        counts.removals += 1
        counts.lines += sum(1 for line in before.split("\n") if line.strip())
        counts.chars += len(before.strip())
        if doc != counts.last_doc:
            counts.docs += 1
            counts.last_doc = doc
        where = source_label(source)
        self.sources[where] += 1
        if self._last_source_doc.get(where) != doc:
            self.source_docs[where] += 1
            self._last_source_doc[where] = doc
        rank = int.from_bytes(blake2b(f"{doc}\x00{rec.get('start')}\x00{rule}".encode(), digest_size=8).digest(), "big")
        heap = self.samples.setdefault(rule, [])
        item = (-rank, self.records, rec)
        if len(heap) < self.samples_per_rule:
            heapq.heappush(heap, item)
        elif item[:2] > heap[0][:2]:
            heapq.heapreplace(heap, item)

    def sampled(self, rule: str) -> list[dict]:
        return [rec for _, _, rec in sorted(self.samples.get(rule, []), key=lambda x: (-x[0], x[1]))]

    @property
    def removals(self) -> int:
        return sum(c.removals for c in self.rules.values())

    def rule_order(self) -> list[str]:
        return sorted(self.rules, key=lambda r: (-self.rules[r].removals, -self.rules[r].edits, r))


def source_label(source: str) -> str:
    """The site for a URL or domain; for a file, the folder it is in."""
    key = source_key(source)
    if key:
        return key
    if not source:
        return "(no source)"
    parent = str(Path(source).parent)
    return parent if parent != "." else "(current folder)"


def read_audit(path: str, samples_per_rule: int = SAMPLES_PER_RULE) -> Review:
    review = Review(path, samples_per_rule)
    with open(path, encoding="utf-8", errors="replace") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                review.errors.append(f"{path}:{lineno}: not valid JSON ({exc.msg}); line skipped")
                continue
            if not isinstance(rec, dict) or "rule" not in rec:
                review.errors.append(f"{path}:{lineno}: not an audit record (no 'rule'); line skipped")
                continue
            review.add(rec)
    return review


# -- plain text ----------------------------------------------------------------


def text_summary(review: Review) -> str:
    rows = [("rule", "stage", "removals", "lines", "documents", "edits")]
    for rule in review.rule_order():
        c = review.rules[rule]
        rows.append((rule, review.stages[rule], str(c.removals), str(c.lines), str(c.docs), str(c.edits)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = [
        "  ".join(cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))
        for row in rows
    ]
    out.append("")
    out.append(f"{review.records} edits, {review.removals} removals in {review.docs} documents")
    return "\n".join(out) + "\n"


# -- HTML ----------------------------------------------------------------------

_CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;padding:0 1em;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0}td,th{padding:.25em .7em;border-bottom:1px solid #eee;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.summary{display:flex;gap:2em;margin:1em 0}.summary div{background:#f4f4f4;padding:.6em 1em;border-radius:4px}
.summary b{display:block;font-size:1.6em}
.sample{margin:.6em 0 1.2em;border-left:3px solid #ddd;padding-left:.8em;font-family:ui-monospace,monospace;font-size:13px}
.where{color:#666;font-family:system-ui,sans-serif}
.ctx{color:#777;white-space:pre-wrap}.del{background:#fde2e1;color:#8a1c1c;white-space:pre-wrap;text-decoration:line-through;text-decoration-color:#d99}
.note{color:#555;font-style:italic}
"""


def _e(s: object) -> str:
    return html.escape(str(s), quote=True)


def render_html(review: Review) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>chipclean review: {_e(Path(review.audit).name)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>Removals in {_e(Path(review.audit).name)}</h1>",
        '<div class="summary">',
        f'<div><b id="total-removals">{review.removals}</b>removals</div>',
        f'<div><b id="total-edits">{review.records}</b>edits</div>',
        f'<div><b id="total-documents">{review.docs}</b>documents</div>',
        f'<div><b id="total-rules">{len(review.rules)}</b>rules</div>',
        "</div>",
    ]
    if review.errors:
        parts.append(f"<p>{len(review.errors)} audit line(s) could not be read; the first: {_e(review.errors[0])}</p>")
    parts += [
        '<h2>Per rule</h2><table id="per-rule"><tr><th>rule</th><th>stage</th><th class="n">removals</th>'
        '<th class="n">lines</th><th class="n">characters</th><th class="n">documents</th><th class="n">edits</th></tr>'
    ]
    for rule in review.rule_order():
        c = review.rules[rule]
        link = f'<a href="#rule-{_e(rule)}">{_e(rule)}</a>' if rule in review.samples else _e(rule)
        parts.append(
            f'<tr data-rule="{_e(rule)}"><td>{link}</td><td>{_e(review.stages[rule])}</td>'
            f'<td class="n removals">{c.removals}</td><td class="n">{c.lines}</td><td class="n">{c.chars}</td>'
            f'<td class="n">{c.docs}</td><td class="n">{c.edits}</td></tr>'
        )
    parts.append("</table>")
    parts.append(
        '<h2>Per source</h2><table id="per-source"><tr><th>source</th><th class="n">removals</th>'
        '<th class="n">documents</th></tr>'
    )
    top = sorted(review.sources.items(), key=lambda kv: (-kv[1], kv[0]))
    for where, n in top[:TOP_SOURCES]:
        parts.append(
            f'<tr data-source="{_e(where)}"><td>{_e(where)}</td><td class="n removals">{n}</td>'
            f'<td class="n">{review.source_docs[where]}</td></tr>'
        )
    if len(top) > TOP_SOURCES:
        rest = sum(n for _, n in top[TOP_SOURCES:])
        parts.append(f"<tr><td>{len(top) - TOP_SOURCES} more sources</td><td class=\"n\">{rest}</td><td></td></tr>")
    parts.append("</table>")
    parts.append("<h2>Sampled removals, with the lines around them</h2>")
    for rule in review.rule_order():
        samples = review.sampled(rule)
        if not samples:
            continue
        c = review.rules[rule]
        parts.append(
            f'<h3 id="rule-{_e(rule)}">{_e(rule)} <span class="where">({len(samples)} of {c.removals})</span></h3>'
        )
        for rec in samples:
            ctx = rec.get("context") or ["", ""]
            where = f"{rec.get('source') or rec.get('doc', '')}, line {rec.get('line', '?')}"
            note = f' <span class="note">{_e(rec["note"])}</span>' if rec.get("note") else ""
            parts.append(
                f'<div class="sample"><div class="where">{_e(where)}{note}</div>'
                f'<div class="ctx">{_e(ctx[0]) if ctx[0] else "&nbsp;"}</div>'
                f'<div class="del">{_e(str(rec.get("before", "")).strip())}</div>'
                f'<div class="ctx">{_e(ctx[1]) if len(ctx) > 1 and ctx[1] else "&nbsp;"}</div></div>'
            )
    parts.append("</body></html>\n")
    return "\n".join(parts)
