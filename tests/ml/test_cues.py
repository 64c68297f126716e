"""Negation, wish and other-person scopes: the words a person does not claim as their own."""

import pytest

from ml.nlp import make_nlp


@pytest.fixture(scope="module")
def nlp():
    return make_nlp()


def marks(nlp, text, word):
    """'N' negated, 'W' wished, 'O' said of someone else, for the first token `word`."""
    token = next(t for t in nlp(text) if t.lower_ == word)
    return "".join(
        flag
        for flag, on in (("N", token._.negated), ("W", token._.wish), ("O", token._.others))
        if on
    )


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("la macchina da cucire non la so usare", "macchina"),
        ("i muri non li so fare, io ero al ponteggio", "muri"),
        ("in cantiere non ci sono mai stato", "cantiere"),
        ("la mail non so neanche cos'è", "mail"),
        ("vendere non è il mio", "vendere"),
        ("il cartongesso invece mai fatto", "cartongesso"),
        ("computer mai usato", "computer"),
        ("il bar no, il caffè lo fa mio cugino", "bar"),
        ("nn ho mai guidato il furgone", "furgone"),
        ("manco il caffè so fare, figuriamoci cucinare", "cucinare"),
        ("imbiancare? mai fatto", "imbiancare"),
        ("capo squadra? io? no, mai comandato nessuno", "squadra"),
        ("parlo wolof e poco poco italiano", "italiano"),
        ("francese, italiano poco", "italiano"),
    ],
)
def test_denied_words_are_negated_wherever_the_object_is_said(nlp, text, word):
    assert marks(nlp, text, word) == "N"


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("sempre puntuale, mai un ritardo", "puntuale"),
        ("il muletto no, ma il transpallet sì", "transpallet"),
        ("non solo cucinavo ma servivo ai tavoli", "cucinavo"),
        ("ho fatto il cuoco e non mi è piaciuto", "cuoco"),
        ("guidavo il muletto senza problemi", "muletto"),
    ],
)
def test_negation_stays_in_its_clause(nlp, text, word):
    assert marks(nlp, text, word) == ""


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("vorrei fare il cuoco", "cuoco"),
        ("il muletto lo vorrei imparare", "muletto"),
        ("quando esco cerco lavoro come muratore", "muratore"),
        ("appena esco, apro una pizzeria con mio cugino", "pizzeria"),
        ("mi piacerebbe lavorare all'aperto, nei giardini, col verde", "giardini"),
        ("un giorno farò il pasticcere", "pasticcere"),
        ("ho chiesto di fare il corso di cucina", "cucina"),
        ("devo decidere, forse il corso di saldatura", "saldatura"),
    ],
)
def test_wishes_and_plans_are_not_experience(nlp, text, word):
    assert marks(nlp, text, word) == "W"


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("ho imparato a fare i muri da mio padre", "muri"),
        ("ho fatto un corso di pasticceria e ho imparato le crostate", "crostate"),
        ("sto imparando l'italiano al CPIA", "italiano"),
        ("cerco di mediare quando ci sono litigi", "mediare"),
        ("mi piacerebbe cambiare, ma ho fatto il cuoco per anni", "cuoco"),
    ],
)
def test_past_learning_and_doing_are_experience(nlp, text, word):
    assert marks(nlp, text, word) == ""


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("mio fratello fa il muratore a Brescia", "muratore"),
        ("mia madre faceva la sarta in casa, cuciva per le vicine", "cuciva"),
        ("il giardino lo curava mio padre", "giardino"),
        ("i miei cugini lavorano nei magazzini", "magazzini"),
        ("la cassa la faceva il titolare", "cassa"),
        ("mia madre è anziana e vive in Marocco", "anziana"),
    ],
)
def test_other_peoples_jobs_are_theirs(nlp, text, word):
    assert marks(nlp, text, word) == "O"


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("lavoravo con mio zio in cantiere, facevo la malta", "malta"),
        ("mio padre mi ha insegnato a fare il pane", "pane"),
        ("badavo a mia nonna, la lavavo tutti i giorni", "lavavo"),
        ("mio fratello faceva il cuoco, io invece lavavo i piatti", "piatti"),
    ],
)
def test_the_persons_own_words_next_to_a_relative_stay_theirs(nlp, text, word):
    assert marks(nlp, text, word) == ""
