"""Words that reveal detention or a judicial measure, found on stems; neutral rewrites.

Pure Python, no ORM: text in, matches out. The list is competenze/data/flagged_words.tsv
(its header explains the kinds). A word is compared by its stem: lower case, no accents,
the final vowel dropped ("detenuti", "detenuta" → "detenut"; "-io", "-ia", "-i" alike);
articles and prepositions between the words of an expression are skipped ("cucina del
carcere" = "cucina in carcere"),
punctuation is not (an expression never spans two sentences). Where several expressions
start at the same word the longest wins, so "cella frigorifera" (safe) hides "cella".
"""

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.safestring import SafeString, mark_safe

WORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "flagged_words.tsv"
KINDS = ("term", "place", "weakplace", "workplace", "safe")
_SKIPPED_WORDS = (
    "di del della dello dei degli delle dell in nel nella nello nei negli nelle nell a al "
    "alla allo ai agli alle all da dal dalla dallo dai dagli dalle dall il lo la i gli le l "
    "un uno una per presso dentro interno interna interni interne su sul sulla"
)
SKIPPED = frozenset(_SKIPPED_WORDS.split())
"""Words skipped between the words of an expression (and inside it)."""
WORKPLACE_CATEGORY = "lavoro in un luogo di detenzione"
TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
GAP = re.compile(r"^[\s'’]*$")


def normalise(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def stem(word: str) -> str:
    """A light Italian stem: enough to join singular, plural, masculine and feminine."""
    text = normalise(word)
    if len(text) <= 3:
        return text
    if text.endswith(("che", "chi", "ghe", "ghi")):
        return text[:-2]
    if text[-1] in "aeiou":
        text = text[:-1]
    if text.endswith("i") and len(text) > 3:  # -io/-ia and -i: "uffici" as "ufficio"
        text = text[:-1]
    return text


@dataclass(frozen=True)
class Pattern:
    parts: tuple[tuple[str, bool], ...]  # (stem or prefix, is_prefix)
    kind: str
    category: str
    neutral: str
    expression: str


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    text: str
    expression: str
    category: str
    neutral: str


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    norm: str
    stem: str


def _parts(expression: str) -> tuple[tuple[str, bool], ...]:
    parts = []
    for word in re.findall(r"[^\W_]+\*?", expression, re.UNICODE):
        if word.endswith("*"):
            parts.append((normalise(word[:-1]), True))
        elif normalise(word) not in SKIPPED:
            parts.append((stem(word), False))
    return tuple(parts)


def _read(path: Path) -> list[Pattern]:
    patterns = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        columns = [*line.split("\t"), "", ""]
        kind, expression, category, neutral = (c.strip() for c in columns[:4])
        if kind not in KINDS or not _parts(expression):
            raise ValueError(f"{path.name}, riga {number}: riga non valida «{line}»")
        patterns.append(Pattern(_parts(expression), kind, category, neutral, expression))
    return patterns


def _combined(patterns: list[Pattern]) -> list[Pattern]:
    """What the matcher looks for: flagged terms and places, safe expressions, and every
    workplace followed by a place (rewritten as the workplace's neutral form)."""
    places = [p for p in patterns if p.kind in ("place", "weakplace")]
    wanted = [p for p in patterns if p.kind in ("term", "place", "safe")]
    for workplace in (p for p in patterns if p.kind == "workplace"):
        wanted += [
            Pattern(
                workplace.parts + place.parts,
                "term",
                WORKPLACE_CATEGORY,
                workplace.neutral,
                f"{workplace.expression} + {place.expression}",
            )
            for place in places
        ]
    return sorted(wanted, key=lambda p: -len(p.parts))


@lru_cache(maxsize=4)
def patterns_from(path: Path = WORDS_FILE) -> tuple[Pattern, ...]:
    return tuple(_combined(_read(path)))


def _tokens(text: str) -> list[_Token]:
    found = []
    for token in TOKEN.finditer(text):
        norm = normalise(token.group())
        if norm not in SKIPPED:
            found.append(_Token(token.start(), token.end(), norm, stem(token.group())))
    return found


def _part_matches(part: tuple[str, bool], token: _Token) -> bool:
    value, is_prefix = part
    return token.norm.startswith(value) if is_prefix else token.stem == value


def _joined(text: str, tokens: list[_Token]) -> bool:
    """Only skipped words, spaces and apostrophes between consecutive tokens."""
    for left, right in zip(tokens, tokens[1:], strict=False):
        gap = TOKEN.sub("", text[left.end : right.start])
        if not GAP.match(gap):
            return False
    return True


def _match_at(
    text: str, tokens: list[_Token], index: int, patterns: tuple[Pattern, ...]
) -> Pattern | None:
    for pattern in patterns:
        size = len(pattern.parts)
        window = tokens[index : index + size]
        if (
            len(window) == size
            and all(
                _part_matches(part, token)
                for part, token in zip(pattern.parts, window, strict=True)
            )
            and _joined(text, window)
        ):
            return pattern
    return None


def find_flagged(text: str, patterns: tuple[Pattern, ...] | None = None) -> list[Match]:
    """The flagged expressions in `text`, left to right, never overlapping."""
    patterns = patterns if patterns is not None else patterns_from()
    tokens = _tokens(text)
    matches, index = [], 0
    while index < len(tokens):
        pattern = _match_at(text, tokens, index, patterns)
        if pattern is None:
            index += 1
            continue
        first, last = tokens[index], tokens[index + len(pattern.parts) - 1]
        if pattern.kind != "safe":
            matches.append(
                Match(
                    first.start,
                    last.end,
                    text[first.start : last.end],
                    pattern.expression,
                    pattern.category,
                    pattern.neutral,
                )
            )
        index += len(pattern.parts)
    return matches


def has_flagged(text: str) -> bool:
    return bool(find_flagged(text))


def neutralise(text: str) -> str:
    """`text` with every expression that has a neutral form replaced by it (work done in
    prison described neutrally); other flagged words are left for a person to decide."""
    result = text
    for match in reversed(find_flagged(text)):
        if match.neutral:
            neutral = match.neutral
            if match.text[:1].isupper():
                neutral = neutral[:1].upper() + neutral[1:]
            result = result[: match.start] + neutral + result[match.end :]
    return result


def highlight(text: str) -> SafeString:
    """`text` as escaped HTML with each flagged expression in <mark class="flagged">."""
    pieces, position = [], 0
    for match in find_flagged(text):
        pieces.append(html.escape(text[position : match.start]))
        title = html.escape(match.category)
        pieces.append(f'<mark class="flagged" title="{title}">{html.escape(match.text)}</mark>')
        position = match.end
    pieces.append(html.escape(text[position:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped above
