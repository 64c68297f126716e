"""What a job title says of a person's competences (ml/data/job_titles.tsv).

A framework profile implies its essential competences, all alike. People name their trade
more finely ("piastrellista", "barista", "lavapiatti") and a trade says some competences
first: the table makes such job titles concepts of their own, supporting the competences
they name, and orders the competences of each title, the most central first. Pure Python.
"""

from dataclasses import dataclass

from ml.nlp import read_lines
from ml.types import ConceptText

TITLE_MARK = "~"  # in the codes of the job titles made from the table: "EDI-P03~4"
NO_PROFILE = "-"


@dataclass(frozen=True)
class JobTitles:
    concepts: tuple[ConceptText, ...]  # the job titles of the table, as profiles
    order: dict[str, tuple[str, ...]]  # profile or job title code -> competences, first first


def is_title_code(code: str) -> bool:
    return TITLE_MARK in code


def job_titles(concepts: list[ConceptText], name: str = "job_titles.tsv") -> JobTitles:
    """The table's job titles and orders, for the competences `concepts` has; lines about
    profiles or competences the framework lacks are left out."""
    by_code = {c.code: c for c in concepts}
    titles: list[ConceptText] = []
    order: dict[str, tuple[str, ...]] = {}
    for number, line in enumerate(read_lines(name), start=1):
        profile_code, names, codes = (part.strip() for part in line.split("\t"))
        competences = tuple(code for code in codes.split() if code in by_code)
        profile = by_code.get(profile_code)
        if not competences or (profile is None and profile_code != NO_PROFILE):
            continue
        if not names:
            order[profile_code] = competences
            continue
        labels = tuple(label.strip() for label in names.split("|") if label.strip())
        code = f"{profile_code if profile else ''}{TITLE_MARK}{number}"
        titles.append(
            ConceptText(
                code=code,
                kind="profilo",
                pref_label=profile.pref_label if profile else "",
                alt_labels=labels,
                sector=profile.sector if profile else by_code[competences[0]].sector,
                implies=competences,
            )
        )
        order[code] = competences
    return JobTitles(tuple(titles), order)
