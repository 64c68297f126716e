"""The failure classes of issue 10 on the shipped framework, matcher alone (no trained
model): word senses, everyday phrasing, dialect and foreign words, long answers, and
explanations that quote only the person's words."""

import re

import pytest

from ml.ranking import CARDS_PER_ANSWER, MAX_CARDS_PER_ANSWER, card_limit
from ml.recognizer import Recognizer
from tests.ml.shipped_framework import shipped_concepts


@pytest.fixture(scope="module")
def recognizer():
    return Recognizer(list(shipped_concepts()))


def matched(recognizer, text):
    """Codes supported by a label said by the person of their own experience."""
    return {c.code for c in recognizer.analyse(text).candidates if c.usable_matches()}


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("lavoravo per una compagnia telefonica, al call center", "ASS-C08"),
        ("montavo i telai delle finestre in alluminio", "SAR-C09"),
        ("in fabbrica seguivamo le commesse dei clienti", "COM-C01"),
        ("impastavo la malta per i muratori", "PAN-C02"),
        ("lavapiatti in pizzeria, tre anni", "PAN-C06"),
        ("ho lavorato in un ristorante cinese a Milano", "LIN-C08"),
        ("mia madre è anziana e ho un bambino di tre anni", "ASS-C01"),
        ("mia madre è anziana e ho un bambino di tre anni", "ASS-C09"),
        ("portavo le pizze a domicilio col motorino", "PAN-C06"),
        ("ho lavorato a Lima in un panificio", "MET-C06"),
        ("stavo in cella con altri tre", "INF-C03"),
    ],
)
def test_word_senses_do_not_suggest_the_other_meaning(recognizer, text, absent):
    assert absent not in matched(recognizer, text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("impastavo la malta per i muratori", "EDI-C02"),
        ("lavapiatti in pizzeria, tre anni", "RIS-C06"),
        ("facevo le pulizie negli uffici", "PUL-C01"),
        ("a casa i conti li tengo io", "TRV-C09"),
        ("le verdure le tagliavo io ogni mattina", "RIS-C01"),
        ("allenavo i ragazzi della squadra di calcio", "TRV-C10"),
        ("badavo a mia nonna tutti i giorni", "ASS-C01"),
        ("scafalista di notte al supermercato", "COM-C02"),
        ("la mia organizzazione: mi organizzavo da solo i giri", "TRV-C06"),
        ("alla signora rifacevo i letti ogni mattina", "ASS-C05"),
        ("di notte rifornivo la merce al supermercato", "COM-C02"),
        ("con i clienti difficili tenevo i nervi saldi", "TRV-C07"),
    ],
)
def test_everyday_phrasing_is_read(recognizer, text, code):
    assert code in matched(recognizer, text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("fasevo el murador per vint'anni", "EDI-C03"),
        ("el marangon, fasevo tavoli", "LEG-C04"),
        ("yo limpiaba oficinas en Madrid", "PUL-C01"),
        ("io cuidaba una anciana", "ASS-C01"),
        ("pintaba casas, paredes y techos", "EDI-C07"),
        ("je travaillais comme maçon", "EDI-C03"),
        ("am lucrat ca zidar in Romania", "EDI-C03"),
        ("I work in warehouse, loading trucks", "LOG-C06"),
        ("sapà l'ort cun mè nonu", "VER-C04"),
    ],
)
def test_dialect_and_foreign_work_words_are_read(recognizer, text, code):
    assert code in matched(recognizer, text)


def test_past_learning_is_experience_not_a_wish_to_learn(recognizer):
    text = "ho imparato a fare i muri da mio padre, in cantiere"
    found = matched(recognizer, text)
    assert "EDI-C03" in found
    assert "TRV-C08" not in found  # «voglia di imparare» is not what was said


@pytest.mark.parametrize(
    "text",
    [
        "il muletto non l'ho mai guidato",
        "vorrei fare il cuoco, un giorno",
        "mio fratello fa il muratore",
        "la macchina da cucire non la so usare",
        "nn so usare il computer",
    ],
)
def test_denied_wished_and_others_words_never_make_a_card(recognizer, text):
    candidates = recognizer.analyse(text).candidates
    assert any(c.unasserted_only for c in candidates), "the words are found, with their flags"
    suggestions = recognizer.suggest(text, top_k=50)
    assert not any(s.shown for s in suggestions)
    flagged = [s for s in suggestions if s.negated or s.wish or s.others]
    assert flagged and all(s.score == 0.0 for s in flagged)  # matcher alone: no evidence


QUOTED = re.compile(r"«([^»]*)»")


@pytest.mark.parametrize(
    "text",
    [
        "ho imparato tanto in cucina, facevo i primi per duecento persone",
        "si partiva alle cinque per il mercato, sistemavo la frutta",
        "Io lavorato in Albania come muratore, fare muri, intonaco. Parlo albanese.",
        "non ho mai fatto il cameriere ma stavo alla cassa del bar",
    ],
)
def test_explanations_quote_only_the_persons_own_words(recognizer, text):
    for suggestion in recognizer.suggest(text, top_k=10):
        assert suggestion.span == text[suggestion.start : suggestion.end]
        for quoted in QUOTED.findall(suggestion.reason):
            assert quoted in text, suggestion.reason


SKILL_LIST = "muletto, saldature, intonaco, piastrelle, pizze, pulizie degli uffici, la cassa"
MANY_JOBS = (
    "ho fatto tanti lavori in vent'anni. in magazzino guidavo il muletto e preparavo gli "
    "ordini; poi in officina facevo le saldature a filo sui telai; in cantiere tiravo "
    "l'intonaco e posavo le piastrelle nei bagni; d'estate facevo le pizze al forno a legna "
    "in una pizzeria al mare; la sera facevo le pulizie degli uffici con la lavasciuga, e il "
    "sabato stavo alla cassa di un negozio di scarpe, contavo l'incasso"
)


def test_cards_per_answer_grow_with_its_length_and_stay_bounded(recognizer):
    threshold = recognizer.ranker.show_threshold()
    short = recognizer.suggest(SKILL_LIST, top_k=10)
    assert sum(s.score >= threshold for s in short) > CARDS_PER_ANSWER
    assert sum(s.shown for s in short) == CARDS_PER_ANSWER  # a list does not flood
    long_answer = recognizer.suggest(MANY_JOBS, top_k=10)
    shown = [s for s in long_answer if s.shown]
    assert CARDS_PER_ANSWER < len(shown) <= MAX_CARDS_PER_ANSWER
    assert len(shown) == card_limit(recognizer.analyse(MANY_JOBS).words)
    assert [s.shown for s in long_answer] == sorted((s.shown for s in long_answer), reverse=True)
