"""UTF-8 that was decoded as a CJK double-byte codec.

``免责声明`` read as GBK becomes ``鍏嶈矗澹版槑``. Re-encoding the mojibake with the
same codec gives the UTF-8 bytes back, except where the decoder gave up on a
byte (one U+FFFD each with ``errors="replace"``, nothing at all with
``errors="ignore"``). Those holes are filled by :mod:`.utf8search`, which only
considers bytes the decoder would indeed have rejected there.

A repair is accepted only when the UTF-8 reading is far more plausible than the
text as it stands, so genuine Chinese, Japanese and Korean never qualify: their
legacy bytes are not UTF-8.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import re


from . import dbcs, freq
from .prior import cost as char_cost
from .prior import guess_script, rare_cjk, text_cost
from .spans import Repair, trimmed
from .utf8search import Mode, _inserted, candidates, choices, pair_filter, search, slots_from, vanished
from .webcodecs import PAIRED, encode

#: Tried in this order; the first of equally good readings wins. web-gbk is
#: GBK as browsers and Windows read it (see :mod:`.webcodecs`); it differs
#: only for text with "€" in it, and is otherwise passed over. cp949 is
#: EUC-KR as Windows extends it. web-sjis is Shift_JIS as browsers read it,
#: where a U+FFFD may hide two bytes; that widens the search a great deal, so
#: it is tried only for a line that no other codec explains. web-euc-kr is
#: read only as a rival (see _TOO_LOSSY).
CODECS = ("gbk", "gb18030", "web-gbk", "big5", "cp932", "euc_kr", "cp949", "euc_jp", "web-sjis", "web-euc-kr")

# Code pages read only to rule out wrong repairs, each with the codec whose
# readings it checks. Korean read as browsers read EUC-KR loses about a
# third of its bytes, two at a time, and a reading of it gets about one
# syllable in six wrong; a line that it explains better than cp949 does is
# left as it is rather than repaired with a cp949 reading that fits by chance.
_TOO_LOSSY = {"web-euc-kr": "cp949"}

# Characters a CJK decoder produces from UTF-8 bytes: ideographs, Hangul,
# kana (half-width too), CJK punctuation, private use (gb18030) and U+FFFD.
SUSPECT = re.compile(
    r"[\u3000-\u30ff\u3400-\u9fff\uac00-\ud7a3\ue000-\uf8ff\uf900-\ufaff\uff00-\uffef\ufffd]"
)
_CJK = re.compile(r"[\u3000-\uffff]")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LOSS = re.compile(r"[\ufffd\ue000-\uf8ff]")
_QUESTION_HOLE = re.compile(r"(?<=[^\x00-\x7f])\?+")
_CONT = tuple(range(0x80, 0xC0))
_ASCII = bytes(range(0x80))


@lru_cache(maxsize=64)
def _mode(codec: str, script: str | None, lossy: bool) -> Mode:
    # one object per combination keeps the search's caches warm
    lm = freq.model(script)
    shade = None if lm is None else lm.shade
    return Mode(codec=codec, script=script, insert_bytes=() if lossy else _CONT, shade=shade)


def may_be_mojibake(text: str) -> bool:
    """A cheap first look: lost bytes, or characters no script uses often.

    For a line, they must be at least 15% of its CJK characters; for a whole
    document any two will do, as one broken line may hide among clean ones.
    """
    if _LOSS.search(text):
        return True
    rare = len(rare_cjk().findall(text))
    if "\n" in text.strip():
        return rare >= 2
    return rare >= 2 and rare >= 0.15 * len(_CJK.findall(text))


def _items(text: str, codec: str):
    """Bytes of ``text`` in ``codec`` with None for each U+FFFD, or None.

    Returns None as well when the bytes are plainly not UTF-8: genuine CJK
    text re-encoded in its own codec breaks UTF-8 rules at about every other
    byte, while mojibake breaks them only next to the bytes that were lost.
    """
    pieces = text.split("\ufffd")
    try:
        encoded = [encode(p, codec) for p in pieces]
    except UnicodeEncodeError:
        return None
    gaps = len(pieces) - 1
    raw = b"".join(encoded)
    decoded = raw.decode("utf-8", "replace")
    bad = decoded.count("\ufffd")
    multi = len(decoded) - bad - (len(raw) - len(raw.translate(None, _ASCII)))
    if multi < 1 or bad - 2 * gaps > 0.6 * multi + 1:
        return None
    if not gaps:
        return list(raw)
    items: list[int | None] = []
    for k, chunk in enumerate(encoded):
        if k:
            items.append(None)
        items.extend(chunk)
    return items


@dataclass
class _Found:
    start: int
    text: str  # the mojibake
    codec: str
    mode: Mode
    reading: object


def _loss(codec: str, reading) -> dbcs.Loss:
    """A reading of a line that lost too much to repair, as dbcs reports one."""
    broken = sum(1 for c in reading.chars if c[1])
    return dbcs.Loss(codec, reading.unknown, len(reading.text.encode("utf-8")), len(reading.chars) - broken, broken)


def _search_span(text: str, start: int) -> _Found | dbcs.Loss | None:
    """The best UTF-8 reading of ``text`` (a line) over all codecs, if acceptable."""
    if not SUSPECT.search(text):
        return None
    original = None
    best: _Found | None = None
    seen: list = []
    variants = [text]
    if "?" in text:
        # Mojibake saved back in its codec (Java, Windows, Python's
        # errors="replace") has "?" where the decoder gave up; a "?" after a
        # wide character may be either, so both readings are tried
        holes = _QUESTION_HOLE.sub(lambda m: "\ufffd" * len(m.group()), text)
        if holes != text:
            variants.append(holes)
    for codec, variant in [(c, v) for c in CODECS for v in variants]:
        paired = codec in PAIRED
        if paired and best is not None and best.codec != _TOO_LOSSY.get(codec):
            continue
        items = _items(variant, codec)
        # gb18030 gives the same bytes as gbk for most text; a code page whose
        # holes may hide two bytes reads the same bytes differently
        if items is None:
            continue
        key = (items, paired and None in items)
        if key in seen:
            continue
        seen.append(key)
        # the script to score with, from the characters that decode as they are
        known = bytes(b for b in items if b is not None).decode("utf-8", "ignore")
        mode = _mode(codec, guess_script(known), "\ufffd" in variant)
        slots = slots_from(items, paired)
        reading = search(slots, mode)
        if reading is None:
            continue
        if codec in _TOO_LOSSY:
            if best is None or reading.cost < best.reading.cost:
                return _loss(codec, reading)  # the best explanation lost too much to repair
            continue
        if original is None:
            original = text_cost(text)
        if not _acceptable(text, reading, original):
            continue
        if best is None or reading.cost < best.reading.cost:
            best = _Found(start, text, codec, mode, reading)
    return best


class _Cache:
    """Characters and pairs read with certainty elsewhere in the same document.

    A lost byte often leaves several common characters that fit equally well
    (月 or 最 after ``E6 9C``); the ones this document already uses, next to the
    neighbours it uses them with, are the better guess.
    """

    def __init__(self) -> None:
        self.uni: Counter = Counter()
        self.bi: Counter = Counter()

    def add(self, chars) -> None:
        """Count characters and neighbour pairs; None breaks a pair (an unsure character)."""
        shaped = [None if ch is None else _shape(ch) for ch in chars]
        self.uni.update(ch for ch in shaped if ch is not None)
        self.bi.update(a + b for a, b in zip(shaped, shaped[1:]) if a is not None and b is not None)

    def pairs(self, prev: str | None, ch: str, nxt: str | None, lm) -> float:
        """How much likelier this document makes ``ch`` next to its known
        neighbours than the word model alone: log(1 + w P_doc(ch | neighbour) / P(ch)),
        the gain of a cache model that mixes the document's own pairs in at
        odds w (:data:`_CACHED`) against the word model."""
        alone = lm.chars.get(ch) if _HAN.match(ch) else None
        if alone is None:
            # marks and symbols have priors of their own; kana are too few
            # and too often the lost ones for the document's pairs to be fair
            return 0.0
        out = 0.0
        for pair, given in ((f"{prev}{ch}", prev), (f"{ch}{nxt}", nxt)):
            if given is None or not _HAN.match(given):
                continue
            seen = self.bi.get(pair)
            if seen:
                out += math.log1p(_CACHED * seen / (self.uni.get(given, 0) + 1) * math.exp(alone))
        return out

    def bonus(self, prev: str | None, ch: str, nxt: str | None) -> float:
        ch = _shape(ch)
        uni, bi = self.uni.get(ch, 0), 0
        b = 0.3 * math.log1p(uni) if uni else 0.0
        if prev and uni:
            bi = self.bi.get(_shape(prev) + ch, 0)
            b += math.log1p(bi) if bi else 0.0
        if nxt and uni:
            bi = self.bi.get(ch + _shape(nxt), 0)
            b += math.log1p(bi) if bi else 0.0
        return b


# A line that ends in a lost byte most often ended a sentence; these marks are
# also the ones the cache rarely sees intact, since their last byte is the one lost.
_FINAL = {"。": 2.0, "！": 2.0, "？": 2.0, "”": 1.5, "」": 1.5, "』": 1.5, "）": 1.5}


# Sentence-final particles that make a question, so the mark after them is
# far more often ？ than ！ (吗, 呢, 么 in Chinese; か, かな, かね, の and
# the rhetorical では in Japanese).
_ASKING = re.compile(r"(?:[吗呢么嗎麼かの]|かな|かね|かしら|では)$")
# Question words anywhere in the clause before a lost sentence mark: what,
# how, why, who, where, which, how many, whether, A-or-not-A, surely not
# (任何 "any", 几乎 "almost" and 哪怕 "even if" ask nothing). ！ and ？
# share their first two UTF-8 bytes, so this is the only clue to which it was.
_QUESTION = re.compile(
    r"什么|甚么|什麼|甚麼|怎|(?<!任)何|哪(?!怕)|谁|誰|几(?!乎)|幾(?!乎)|多少|是否|难道|難道|岂|豈"
    r"|([\u4e00-\u9fff])[不没沒]\1|どう|どこ|なぜ|だれ"
)
# Where a clause ends, looking back from a sentence mark.
_CLAUSE_END = frozenset("，。！？；：、「」『』“”‘’（）()!?,;:\n")
# A sentence mark's mood is this sentence's, not the rest of the document's.
_MOODS = frozenset("！？!?")


def _asks(out: list[str], k: int) -> bool:
    """Whether the clause that ends at character ``k`` asks: a question word
    in it, or a particle that makes a question right before the mark."""
    i = k
    while i > 0 and out[i - 1] not in _CLAUSE_END:
        i -= 1
    clause = "".join(out[i:k])
    return bool(_ASKING.search(clause) or _QUESTION.search(clause))


# Marks that come in pairs and share their first two UTF-8 bytes, so a lost
# last byte leaves both; the line's other marks say which one it was.
_OPENING = {"“": "”", "「": "」", "『": "』", "《": "》", "（": "）"}
_CLOSING = {b: a for a, b in _OPENING.items()}


def _settle_mark(out: list[str], k: int, fits: set) -> None:
    """Choose between ！ and ？, or among marks that come in pairs, by the
    text around a hole rather than by how common each mark is."""
    ch = out[k]
    if ch in _MOODS and {"！", "？"} <= fits:
        out[k] = "？" if _asks(out, k) else "！"
        return
    if ch.isalnum():
        return
    before, after = out[:k], out[k + 1 :]
    if "》" in fits and "》" not in after and before.count("《") > before.count("》"):
        out[k] = "》"  # a title is open, and nothing later closes it (titles never run on)
        return
    opening = _CLOSING.get(ch, ch)
    closing = _OPENING.get(opening)
    if closing is None or not {opening, closing} <= fits:
        return
    if before.count(opening) > before.count(closing):
        out[k] = closing  # one is open
    elif after:
        out[k] = opening  # none is open and the line goes on
    # at the end of a line, a mark may close what an earlier line opened


# Korean particles come in pairs whose form follows the syllable before: the
# first after a final consonant (책은, 책을), the second after a vowel (나는,
# 나를). The pair shares most of its UTF-8 bytes, so a lost byte leaves both.
_PARTICLES = {"은": "는", "을": "를", "과": "와", "이": "가"}
_PARTICLE_PAIRS = {**{a: (a, b) for a, b in _PARTICLES.items()}, **{b: (a, b) for a, b in _PARTICLES.items()}}


def _settle_particle(out: list[str], k: int, fits: set) -> None:
    """Choose between the two forms of a Korean particle that ends a word by
    the syllable before it."""
    pair = _PARTICLE_PAIRS.get(out[k])
    if pair is None or not set(pair) <= fits or k == 0 or not "가" <= out[k - 1] <= "힣":
        return
    if k + 1 < len(out) and ("가" <= out[k + 1] <= "힣" or out[k + 1].isalnum()):
        return  # inside a word, 이 and 가 are just syllables
    out[k] = pair[1] if (ord(out[k - 1]) - 0xAC00) % 28 == 0 else pair[0]


# 一 (E4 B8 80), 个 (E4 B8 AA) and 中 (E4 B8 AD), the commonest characters of
# Chinese, differ in the byte a GBK decoder loses. The numeral-classifier
# grammar tells 一 from 个: 一 comes before a classifier (一天, 这一次), 个
# after a number written in digits or after 几, 两 and 半, and after a verb
# when no classifier follows (是个好人, 来了个人). And 一 with a verb can close
# a clause ("as soon as": 他一愣，), where 中 would make no word.
_CLASSIFIERS = frozenset(
    "个种些样次位名家条件张台部只天年岁份点批项场把段句本片双对套辆架座栋间所层支根副首篇幅封杯瓶碗块元笔门道股群届期轮番阵声步眼口顿回遍趟下刻周"
)
_COUNTING = frozenset("0123456789０１２３４５６７８９几两半")
_POINTING = frozenset("这那哪每某各")
_TAKING = frozenset("是有了")
# A word at least about as common as 中级 or 一体 (cost in nats).
_COMMON_WORD = 12.5


def _settle_measure(out: list[str], k: int, fits: set, lm) -> None:
    """Choose between 一 and 个 (or 中 when it makes no word there) by the
    classifier grammar, or 一 before a verb that closes a clause."""
    ch = out[k]
    if ch not in "一个中" or not {"一", "个"} <= fits:
        return
    prev = out[k - 1] if k else ""
    nxt = out[k + 1] if k + 1 < len(out) else ""

    def word(w: str) -> bool:
        return lm.words.get(w, math.inf) < _COMMON_WORD

    if ch == "中" and (word(prev + ch) or word(ch + nxt)):
        return  # 其中, 中国: a common word settles it
    if prev in _COUNTING:
        out[k] = "个"
    elif nxt in _CLASSIFIERS and (prev in _POINTING or prev in _TAKING):
        out[k] = "一"
    elif prev in _TAKING and ch == "中" and not word("一" + nxt):
        out[k] = "个"  # 中 made no word here, and no classifier follows
    elif ch == "中" and k + 2 < len(out) and out[k + 2] in _CLAUSE_END and _HAN.match(nxt):
        out[k] = "一"  # 一 and a verb close a clause (他一愣，): "as soon as"


def _shape(ch: str) -> str:
    """Digits and Latin letters count as one class each."""
    if ch < "\x80":
        if ch.isdigit():
            return "0"
        if ch.isalpha():
            return "a"
    return ch


def repair_lines(lines: list[tuple[int, str]]) -> list[Repair]:
    """Repairs for the lines of one document that hold UTF-8 mojibake.

    ``lines`` are (offset, text) pairs. Lines that need no repair still teach
    the cache which characters this document uses.
    """
    found = find_lines(lines)
    return finish_lines(found, lines) if found else []


def find_lines(lines: list[tuple[int, str]], losses: list | None = None) -> list[_Found]:
    """The lines that hold UTF-8 mojibake, with their best readings. Lines
    that lost too much to repair go to ``losses`` as (offset, line, note)."""
    found = []
    for start, line in lines:
        # a line that Big5 or EUC lost half of is dbcs's to repair or report;
        # the readings found here for such a line are guesses, and slow ones
        if dbcs.diagnose(line) is not None:
            continue
        hit = _search_span(line, start) if may_be_mojibake(line) else None
        if isinstance(hit, dbcs.Loss):
            if losses is not None:
                losses.append((start, line, hit.note))
        elif hit is not None:
            found.append(hit)
        else:
            found.extend(_search_pieces(line, start))
    return found


# Where a line that mixes clean text and mojibake can be cut: runs of spaces,
# and the marks that set a label or a title off from what follows (来源：…).
# ASCII letters and digits inside mojibake stay with it: UTF-8 never puts them
# inside a character.
_CUT = re.compile(r"(\s+|[：，。|·—]+\s*|\s[-–]\s)")


def _piece_of_mojibake(part: str) -> bool:
    """Whether a piece of a line shows mojibake by itself: a U+FFFD is not
    enough (clean text can hold one), rare characters must be a good share
    of it, and it must be long enough for a reading to say something."""
    part = part.replace("\ufffd", "")
    wide = len(_CJK.findall(part))
    rare = len(rare_cjk().findall(part))
    return wide >= _PIECE_MIN and rare >= 2 and rare >= 0.15 * wide


# The fewest wide characters a piece of a line is read from (a name of two
# characters is three in GBK mojibake), lost ones not counted.
_PIECE_MIN = 3


def _search_pieces(line: str, start: int) -> list[_Found]:
    """Readings of the pieces of a line where clean text and mojibake meet
    (英伟达发布新芯片 鍏嶈矗澹版槑…): the line as a whole encodes to no UTF-8,
    its pieces may."""
    parts = _CUT.split(line)
    if len(parts) < 3:
        return []
    out = []
    at = 0
    for k, part in enumerate(parts):
        # odd indexes are the cuts themselves
        if k % 2 == 0 and _piece_of_mojibake(part):
            hit = _search_span(part, start + at)
            if isinstance(hit, _Found):
                out.append(hit)
        at += len(part)
    return out


def finish_lines(found: list[_Found], lines: list[tuple[int, str]]) -> list[Repair]:
    """Repairs for what :func:`find_lines` found; ``lines`` (the document's
    lines with CJK characters, found ones included) say which characters the
    document uses."""
    hits = {f.start for f in found}
    cache = _Cache()
    for start, line in lines:
        if start not in hits:
            cache.add(line)
    for hit in found:
        cache.add(ch if unknown == 0 else None for ch, unknown, _, _ in hit.reading.chars)
    return [_finish(f, cache) for f in found]


def _finish(f: _Found, cache: _Cache) -> Repair:
    lm = freq.model(f.mode.script)
    out, margins = _fill_ranked(f, cache) if lm is None else _fill_words(f, cache, lm)
    wide = sum(1 for ch in out if ch > "\x7f")
    sure = wide - sum(1 for m in margins if m < 2.0)
    conf = max(0.0, sure / wide) if wide else 0.0
    lost = f.reading.unknown + f.reading.inserted
    return trimmed(f.text, "".join(out), f.start, f"utf-8 read as {f.codec}", lost, conf)


def _fill_words(f: _Found, cache: _Cache, lm) -> tuple[list[str], list[float]]:
    """The holes filled so that the line reads as a chain of common words
    (事业 after 个, not 一事 before 业), with this document's usage as a bonus."""
    chars = f.reading.chars
    last = len(chars) - 1
    options = []
    for k, (ch, unknown, _, pattern) in enumerate(chars):
        if not unknown:
            options.append([(0.0, ch, _struct(f.mode, ch))])
            continue
        found = []
        after = _first_byte(chars, k + 1)
        pool = list(_placed_candidates(f.mode, pattern, after, lm))
        prev = chars[k - 1][0] if k and not chars[k - 1][1] else None
        nxt = chars[k + 1][0] if k < last and not chars[k + 1][1] else None
        pool += _in_context(f.mode, pattern, after, lm, prev, nxt, {ch for _, ch in pool})
        for c, cand in pool:
            node = 0.0 if cand in _MOODS or _HAN.match(cand) else -_USED * math.log1p(cache.uni.get(_shape(cand), 0))
            node -= cache.pairs(prev, cand, nxt, lm)
            node -= _FINAL.get(cand, 0.0) if k == last else 0.0
            found.append((node, cand, c))
        options.append(found or [(0.0, ch, _struct(f.mode, ch))])
    _, out = lm.segment(options)
    for k, opts in enumerate(options):
        if len(opts) > 1:
            fits = {o[1] for o in opts}
            _settle_mark(out, k, fits)
            _settle_particle(out, k, fits)
            _settle_measure(out, k, fits, lm)
    chosen = [opts if len(opts) == 1 else [o for o in opts if o[1] == ch] for opts, ch in zip(options, out)]
    return out, [margin(lm, options, out, k, chosen) for k, opts in enumerate(options) if len(opts) > 1]


def margin(lm, options: list, out: list[str], k: int, chosen: list | None = None) -> float:
    """How much worse the best reading of hole ``k``'s neighbourhood gets
    without the character chosen there (the words around it, the other
    holes as chosen): how sure that choice is. ``chosen`` holds each
    position's options narrowed to the chosen character, if already known."""
    a, b = max(0, k - _REACH), min(len(options), k + _REACH + 1)
    if chosen is None:
        window = [[o for o in options[i] if o[1] == out[i]] for i in range(a, b)]
    else:
        window = chosen[a:b]
    here, _ = lm.segment(window)
    window[k - a] = [o for o in options[k] if o[1] != out[k]][:_RIVALS]
    other, _ = lm.segment(window)
    return other - here


def _first_byte(chars, k: int) -> int:
    """The first byte of character ``k`` of a reading when it is known, else -1."""
    if k >= len(chars):
        return -1
    ch, unknown, _, pattern = chars[k]
    if not pattern:
        return ch.encode("utf-8")[0]
    return pattern[0] if pattern[0] >= 0 else -1


def _placements(pattern: tuple[int, ...], after: int) -> list[tuple[int, ...]]:
    """The patterns that put a character's vanished bytes elsewhere among its
    known ones, the given one first.

    A byte that vanished without a trace (``errors="ignore"``) could have
    been any of the character's continuation bytes: E5 8D with one byte
    gone is E5 8D ?? (卫) as much as E5 ?? 8D (复). The structural search picks
    one placement; the word model should see them all.
    """
    if pattern[0] < 0 or any(b < 0 and not vanished(b) for b in pattern):
        return [pattern]  # a lost lead, or lost bytes whose place is known
    known = [b for b in pattern if b >= 0]
    n, gone = len(pattern), len(pattern) - len(known)
    out = []
    for places in [tuple(i for i, b in enumerate(pattern) if b < 0), *combinations(range(1, n), gone)]:
        rest = iter(known)
        cells = [None if i in places else next(rest) for i in range(n)]
        placed = _marked(cells, after)
        if placed not in out:
            out.append(placed)
    return out


def _marked(cells: list, after: int) -> tuple[int, ...]:
    """Known bytes and vanished ones (None), each vanished byte marked with the
    byte that came right after it (-1 when that one vanished too), which is
    what the decoder rejected it before."""
    out = []
    for i, b in enumerate(cells):
        if b is None:
            nxt = after if i + 1 == len(cells) else cells[i + 1]
            b = _inserted(-1 if nxt is None else nxt)
        out.append(b)
    return tuple(out)


@lru_cache(maxsize=65536)
def _placed_candidates(mode: Mode, pattern: tuple[int, ...], after: int, lm) -> tuple[tuple[float, str], ...]:
    """:func:`_wide_candidates` over every placement of the vanished bytes."""
    if not any(vanished(b) for b in pattern):
        return _wide_candidates(mode, pattern, lm)
    seen = set()
    out = []
    for placed in _placements(pattern, after):
        for c, ch in _wide_candidates(mode, placed, lm):
            if ch not in seen:
                seen.add(ch)
                out.append((c, ch))
    return tuple(out)


# How much this document's own use of a mark or a kana counts for it. An
# ideograph's count says little: each is used a few times, and the ones whose
# last byte the decoder tends to lose (一 is E4 B8 80) are seldom counted at
# all, so for ideographs only the pairs of _Cache.pairs speak.
_USED = 0.3
# The odds of the document's own pairs of ideographs against the word model
# (one to ten): a name the document spells out elsewhere (紫霜) outweighs a
# common character that fits the hole too, a pair seen once in passing barely counts.
_CACHED = 0.1
# The runners-up (the commonest first) that a hole's margin is measured against.
_RIVALS = 6
# How far a hole's choice reaches along the line: the words around it.
_REACH = 4


def _struct(mode: Mode, ch: str) -> float:
    return char_cost(ch, mode.script)


def _wide_candidates(mode: Mode, pattern: tuple[int, ...], lm) -> tuple[tuple[float, str], ...]:
    """The characters that fit a hole, the ones the model finds commonest first."""
    return _ranked(mode, pattern, lm)[:_WIDE]


@lru_cache(maxsize=65536)
def _fitting(mode: Mode, pattern: tuple[int, ...], after: int, lm) -> dict[str, float]:
    """Every character that fits a hole in any placement of its vanished bytes,
    with its structural cost."""
    out: dict[str, float] = {}
    for placed in _placements(pattern, after):
        for c, ch in _ranked(mode, placed, lm):
            out.setdefault(ch, c)
    return out


def _in_context(mode: Mode, pattern, after: int, lm, prev: str | None, nxt: str | None, have) -> list[tuple[float, str]]:
    """Characters that fit a hole and that words put next to its known
    neighbours (宪 before 法), however rare they are on their own."""
    out = []
    for found in (_paired(mode, pattern, after, lm, prev, True), _paired(mode, pattern, after, lm, nxt, False)):
        for c, ch in found:
            if ch not in have:
                have.add(ch)
                out.append((c, ch))
    return out


@lru_cache(maxsize=65536)
def _paired(mode: Mode, pattern, after: int, lm, neighbour: str | None, before: bool) -> tuple[tuple[float, str], ...]:
    """The first few characters fitting a hole that words put after (or before) a neighbour."""
    if not neighbour:
        return ()
    fits = _fitting(mode, pattern, after, lm)
    out = []
    for ch in (lm.followers(neighbour) if before else lm.leaders(neighbour))[:_PAIRS_SEEN]:
        if ch in fits:
            out.append((fits[ch], ch))
            if len(out) == _CONTEXT:
                break
    return tuple(out)


# How far down a neighbour's list of partners to look.
_PAIRS_SEEN = 400
# How many characters that pair with each known neighbour a hole also considers.
_CONTEXT = 6


@lru_cache(maxsize=65536)
def _ranked(mode: Mode, pattern: tuple[int, ...], lm) -> tuple[tuple[float, str], ...]:
    options = choices(mode, pattern)
    size = math.prod(len(c) for c in options)
    if size <= 4096:
        pool = candidates(mode, pattern, limit=size)
    else:
        pool = candidates(mode, pattern, limit=_WIDE)
        sets = [frozenset(c) for c in options]
        seen = {ch for _, ch in pool}
        admits = pair_filter(mode, pattern)
        for ch, raw in lm.top.get(len(pattern), ()):
            if ch not in seen and all(b in s for b, s in zip(raw, sets)) and (admits is None or admits(raw)):
                pool.append((_struct(mode, ch), ch))
    ranked = sorted((lm.unigram(ch, c), ch, c) for c, ch in pool)
    return tuple((c, ch) for _, ch, c in ranked)


_WIDE = 24


def _fill_ranked(f: _Found, cache: _Cache) -> tuple[list[str], list[float]]:
    """Each hole on its own, by the structural prior and this document's usage."""
    chars = f.reading.chars
    out: list[str] = []
    margins = []
    for k, (ch, unknown, margin, pattern) in enumerate(chars):
        if not unknown:
            out.append(ch)
            continue
        prev = out[-1] if out else None
        nxt = chars[k + 1][0] if k + 1 < len(chars) and not chars[k + 1][1] else None
        last = k + 1 == len(chars)
        scored = sorted(
            (c - cache.bonus(prev, cand, nxt) - (_FINAL.get(cand, 0.0) if last else 0.0), cand)
            for c, cand in _candidates(f.mode, pattern)
        )
        out.append(scored[0][1] if scored else ch)
        margins.append(scored[1][0] - scored[0][0] if len(scored) > 1 else 9.0)
    return out, margins


@lru_cache(maxsize=65536)
def _candidates(mode: Mode, pattern: tuple[int, ...]):
    return tuple(candidates(mode, pattern, limit=12))


def repair_span(text: str, start: int = 0) -> Repair | None:
    """The best UTF-8 repair of one line on its own, if any."""
    found = repair_lines([(start, text)])
    return found[0] if found else None


def _acceptable(text: str, reading, original: float) -> bool:
    out = reading.text
    if out == text:
        return False
    wide = [c for c in reading.chars if c[0] > "\x7f"]
    if not wide:
        return False
    guessed = reading.unknown + reading.inserted
    if guessed > max(2, len(wide)):
        return False
    # The reading must be much more plausible than the mojibake, per character
    # of the repaired text, so a long line of mojibake can't hide one bad guess.
    return reading.cost + 3.0 + 1.5 * len(wide) < original
