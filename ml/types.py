"""Plain data passed between the NLP pipeline, the ranker and the apps (no ORM here)."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ConceptText:
    """What the recogniser knows of one framework concept."""

    code: str
    kind: str
    pref_label: str
    alt_labels: tuple[str, ...] = ()
    description: str = ""
    parent_code: str | None = None
    sector: str = ""
    # For profiles: the competences they require essentially (a mention of the job
    # title suggests them).
    implies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    """A competence proposed for an answer, with the words that support it."""

    code: str
    label: str
    score: float
    start: int
    end: int
    span: str
    reason: str
    negated: bool = False
    wish: bool = False  # a wish or a plan, not experience
    others: bool = False  # said of someone else ("mio fratello fa il muratore")
    shown: bool = False  # shown to the counsellor as a card
    duration_months: int | None = None
    via: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "label": self.label,
            "score": round(self.score, 4),
            "start": self.start,
            "end": self.end,
            "span": self.span,
            "reason": self.reason,
            "negated": self.negated,
            "wish": self.wish,
            "others": self.others,
            "shown": self.shown,
            "duration_months": self.duration_months,
            "via": list(self.via),
        }
