"""The pipeline's pieces: lemmas, cues (negation, hedging, duration), label matching."""

import pytest

from ml.nlp import LabelMatcher, duration_in_months, label_patterns, light_stem, make_nlp


@pytest.fixture(scope="module")
def nlp():
    return make_nlp()


def lemmas(nlp, text):
    return [token.lemma_ for token in nlp(text)]


def test_lookup_lemmas_are_lower_case_and_verbs_are_reduced(nlp):
    assert lemmas(nlp, "Pulivo i Bagni") == ["pulire", "il", "bagno"]


def test_exceptions_fix_known_lookup_mistakes(nlp):
    # The lookup table turns the noun "corso" into the verb "correre".
    assert lemmas(nlp, "ho fatto un corso")[-1] == "corso"
    assert lemmas(nlp, "facevo lo scopino")[-1] == "scopino"


def test_sentences_are_split(nlp):
    doc = nlp("Ho fatto il cuoco. Poi il magazziniere! Adesso niente.")
    assert len(list(doc.sents)) == 3


def flags(nlp, text, word):
    token = next(t for t in nlp(text) if t.lower_ == word)
    return token._.negated, token._.wish


def test_negation_covers_the_clause_after_the_cue(nlp):
    text = "Non ho mai guidato il muletto, ma ho fatto il magazziniere"
    assert flags(nlp, text, "muletto") == (True, False)
    assert flags(nlp, text, "magazziniere") == (False, False)


def test_non_solo_is_not_a_negation(nlp):
    assert flags(nlp, "non solo cucinavo ma servivo ai tavoli", "cucinavo") == (False, False)


def test_wishes_cover_the_clause_and_an_object_said_first(nlp):
    assert flags(nlp, "vorrei imparare a saldare", "saldare") == (False, True)
    assert flags(nlp, "il muletto lo vorrei imparare", "muletto") == (False, True)
    assert flags(nlp, "ho saldato per anni", "saldato") == (False, False)


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("ho lavorato per tre anni in cucina", 36),
        ("sei mesi in magazzino e poi 2 anni in cantiere", 24),
        ("un anno e mezzo di pulizie", 18),
        ("mezz'anno come aiuto cuoco", 6),
        ("da qualche settimana", 0),
        ("ho fatto il muratore", None),
    ],
)
def test_durations_in_months(text, months):
    assert duration_in_months(text) == months


def test_light_stem_merges_plural_and_gender():
    assert light_stem("bancali") == light_stem("bancale") == "bancal"
    assert light_stem("Attività") == "ativit"


def test_light_stem_forgives_single_and_double_consonants():
    assert light_stem("scafalista") == light_stem("scaffalista")
    assert light_stem("magazino") == light_stem("magazzino")


def test_matcher_skips_function_words_and_follows_inflection(nlp):
    patterns = label_patterns(
        nlp, [("EDI-A01", "tirare su muri", False), ("EDI-A02", "montare il cartongesso", False)]
    )
    matcher = LabelMatcher(nlp, patterns)
    text = "Tiravo su i muri. Montavo i cartongessi in ufficio."
    found = {(m.pattern.concept_code, m.method, text[m.start : m.end]) for m in matcher(nlp(text))}
    assert ("EDI-A01", "lemma", "Tiravo su i muri") in found
    assert ("EDI-A02", "stem", "Montavo i cartongessi") in found


def test_matches_never_cross_sentences(nlp):
    matcher = LabelMatcher(nlp, label_patterns(nlp, [("X", "pulire bagni", False)]))
    assert matcher(nlp("Dovevo pulire. Bagni no.")) == []
    assert len(matcher(nlp("Dovevo pulire i bagni."))) == 1


def test_negated_match_is_flagged(nlp):
    matcher = LabelMatcher(nlp, label_patterns(nlp, [("LOG-C02", "guidare il muletto", False)]))
    (match,) = matcher(nlp("Il muletto? Non ho mai guidato il muletto."))
    assert match.negated
    assert not match.wish
