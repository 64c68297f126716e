"""Which words of an answer the person does not claim as their own experience.

Three scopes are marked on tokens: `negated` ("il muletto non l'ho mai guidato"), `wish`
(wishes and plans: "vorrei fare il cuoco", "appena esco cerco lavoro come muratore") and
`others` (someone else's job: "mio fratello fa il muratore"). Past learning is experience,
not a wish: "ho imparato a fare i muri" is left alone. Pure Python over spaCy tokens; the
word lists are Italian facts, kept here because the rules read them.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Token

CUE_WINDOW = 8
WISH_WINDOW = 14  # a plan goes on longer ("aspetto il permesso del giudice per lavorare...")
EXTENSIONS = ("negated", "wish", "others")

NEGATION_CUES = frozenset(
    {
        "non",
        "nn",
        "mai",
        "nessuno",
        "nessun",
        "nessuna",
        "neanche",
        "nemmeno",
        "neppure",
        "senza",
        "né",
        "manco",
        "mica",
        "figuriamoci",
        "figurati",
    }
)
# Said after what they deny, at the end of a clause: "il bar no", "esperienza zero".
CLOSING_NEGATIONS = frozenset({"no", "zero", "niente", "nulla"})
NEGATION_EXCEPTIONS = frozenset({"solo", "soltanto", "appena"})  # "non solo ..."

# Object pronouns that show the object was said before the verb: "i muri non li so fare".
OBJECT_CLITICS = frozenset({"lo", "la", "li", "le", "l'", "l", "ne", "ci", "ce"})
INDIRECT_CLITICS = frozenset({"mi", "ti", "si", "gli", "me", "te", "se"})
# "la mail non so neanche cos'è", "vendere non è il mio", "il magazzino non fa per me":
# after "non", these verbs also leave the topic said first.
TOPIC_VERBS = frozenset({"so", "sapevo", "saprei", "sa", "sapeva", "è", "era", "fa", "faceva"})

WISH_CUES = frozenset(
    {
        "vorrei",
        "vorrebbe",
        "vorremmo",
        "piacerebbe",
        "piacerebbero",
        "interesserebbe",
        "interessa",
        "sogno",
        "sogni",
        "sognavo",
        "sognerei",
        "desidero",
        "desiderio",
        "spero",
        "speravo",
        "magari",
        "voglio",
        "volevo",
        "potrei",
        "diventare",
        "obiettivo",
        "intenzione",
        "idea",
        "proposto",
        "iscrivermi",
        "iscriverò",
        "attesa",
        "domanda",
        "domandina",
    }
)
# Cues only when followed by one of these words: "cerco lavoro" is a plan, "cerco di
# mediare" is what the person does.
WISH_CUES_BEFORE = {
    "cerco": frozenset({"lavoro", "un", "posto"}),
    "cercherò": frozenset({"lavoro", "un", "posto"}),
    "forse": frozenset(
        {
            "il",
            "la",
            "lo",
            "l'",
            "i",
            "le",
            "un",
            "una",
            "uno",
            "fare",
            "farò",
            "mi",
            "ti",
            "ci",
            "vado",
            "entro",
            "comincio",
            "inizio",
            "faccio",
        }
    ),
    "aspettando": frozenset({"di", "che", "il", "la", "l'", "un", "una"}),
    "aspetto": frozenset({"di", "che", "il", "la", "l'", "un", "una"}),
    "penso": frozenset({"di"}),
    "pensavo": frozenset({"di"}),
    "conto": frozenset({"di"}),
}
# Cues only after one of these words: "ho chiesto di fare il corso" is a request.
WISH_CUES_AFTER = {
    "chiesto": frozenset({"ho", "avevo", "abbiamo"}),
    "promesso": frozenset({"hanno", "ha", "avevano", "aveva"}),
    "offerto": frozenset({"hanno", "ha", "avevano", "aveva"}),
}
# "quando esco", "appena esco", "a fine pena": the rest of the sentence is a plan.
PLAN_OPENERS = frozenset({"quando", "appena", "finché", "dopo", "volta", "se"})
PLAN_VERBS = frozenset({"esco", "uscirò", "uscito", "uscita"})
PLAN_PHRASES = (
    ("un", "giorno"),
    ("in", "futuro"),
    ("da", "grande"),
    ("una", "volta", "fuori"),
    ("l'", "anno", "prossimo"),
    ("il", "prossimo"),
    ("la", "prossima"),
    ("fine", "pena"),
    ("finisco", "la", "pena"),
    ("in", "lista"),
    ("in", "mente"),
    ("tra", "un", "mese"),
    ("tra", "un", "anno"),
    ("tra", "poco"),
    ("fra", "poco"),
    ("tra", "qualche"),
    ("fra", "qualche"),
    ("in", "graduatoria"),
    ("mese", "prossimo"),
    ("anno", "prossimo"),
    ("settimana", "prossima"),
    ("lunedì", "prossimo"),
)
# Future and conditional of the first person say what is not done yet ("farò", "farei");
# "saprei" claims an ability and "sarà/saranno" estimates ("saranno tre anni").
FUTURE_OR_CONDITIONAL = re.compile(r"(?:[aei]rò|rei|rebbe|rebbero|rò)$")
NOT_FUTURE = frozenset({"però", "perciò", "saprei", "sarà", "saranno"})

KIN = frozenset(
    {
        "padre",
        "madre",
        "papà",
        "papa",
        "mamma",
        "babbo",
        "fratello",
        "fratelli",
        "sorella",
        "sorelle",
        "zio",
        "zia",
        "zii",
        "cugino",
        "cugina",
        "cugini",
        "cugine",
        "nonno",
        "nonna",
        "nonni",
        "moglie",
        "marito",
        "compagna",
        "compagno",
        "fidanzata",
        "fidanzato",
        "figlio",
        "figlia",
        "figli",
        "figlie",
        "cognato",
        "cognata",
        "suocero",
        "suocera",
        "genitori",
        "amico",
        "amica",
        "amici",
        "vicino",
        "vicina",
        "vicini",
        "collega",
        "colleghi",
        "parenti",
        "ex",
        "ragazza",
        "nipote",
        "nipoti",
        "cognati",
        "suoceri",
        "socio",
        "zie",
    }
)
POSSESSIVES = frozenset(
    {
        "mio",
        "mia",
        "miei",
        "mie",
        "suo",
        "sua",
        "suoi",
        "sue",
        "nostro",
        "nostra",
        "nostri",
        "nostre",
    }
)
FIRST_PERSON = frozenset(
    {
        "io",
        "ho",
        "avevo",
        "ebbi",
        "ero",
        "stavo",
        "sto",
        "facevo",
        "faccio",
        "so",
        "sapevo",
        "l'ho",
        "noi",
        "abbiamo",
        "avevamo",
        "eravamo",
        "siamo",
        "insegnato",
        "insegnava",
        "insegnavano",
        "insegnare",
    }
)
FIRST_PERSON_ENDINGS = ("avo", "evo", "ivo", "iamo", "avamo", "evamo", "ivamo")

CLAUSE_BREAKS = frozenset(
    {
        ",",
        ";",
        ":",
        ".",
        "!",
        "?",
        "ma",
        "però",
        "invece",
        "mentre",
        "perché",
        "poi",
        "e poi",
        "quindi",
        "(",
        ")",
    }
)
# Walking back from a cue to the start of its clause ("il cartongesso invece mai fatto").
BACKWARD_TRANSPARENT = frozenset({"invece", "però", "proprio", "ancora", "purtroppo"})
BACKWARD_STOPS = frozenset({"e", "ed"})
# A subordinate clause starts here: what comes before is another clause ("guidavo il
# muletto anche se non ero abilitato").
SUBORDINATORS = frozenset({"se", "che", "quando", "dove", "anche", "pure", "finché"})
# Subjects other than the person, besides relatives: "i soldi li gestiva qualcun altro".
OTHER_SUBJECTS = frozenset(
    {"qualcun", "qualcuno", "titolare", "padrone", "proprietario", "uno", "altri", "ognuno"}
)
AUXILIARIES = frozenset(
    {
        "ho",
        "hai",
        "ha",
        "abbiamo",
        "avete",
        "hanno",
        "avevo",
        "aveva",
        "avevamo",
        "avevano",
        "sono",
        "sei",
        "è",
        "siamo",
        "siete",
        "ero",
        "era",
        "eravamo",
        "erano",
        "sto",
        "stavo",
        "so",
        "sa",
        "sapevo",
        "posso",
        "potevo",
        "voglio",
        "volevo",
        "devo",
        "dovevo",
        "l'ho",
    }
)
CONTRASTS = frozenset({"ma", "però", "invece", "mentre"})
# Negations that also reach back over a fronted object: "il cartongesso invece mai fatto".
BARE_NEGATIONS = frozenset(
    {"mai", "nessuno", "nessun", "nessuna", "manco", "mica", "neanche", "nemmeno", "neppure"}
)
NOT_BEFORE_BARE = AUXILIARIES | NEGATION_CUES | OBJECT_CLITICS
PARTICIPLE_ENDINGS = (
    "ato",
    "ata",
    "ati",
    "ate",
    "uto",
    "uta",
    "uti",
    "ute",
    "ito",
    "ita",
    "iti",
    "ite",
    "atto",
    "atta",
    "esso",
    "essa",
    "isto",
    "ista",
    "eso",
    "esa",
)
# Understatement of a language or a skill: "italiano poco", "poco poco italiano".
UNDERSTATEMENTS = frozenset({"poco", "pochissimo", "pochino"})


@dataclass(frozen=True)
class Sentence:
    """A sentence over the doc's tokens, taken once as a list (spaCy builds a new Token
    object at every index otherwise)."""

    tokens: list[Token]  # every token of the doc
    start: int
    end: int

    def __iter__(self) -> Iterator[Token]:
        return iter(self.tokens[self.start : self.end])

    def __len__(self) -> int:
        return self.end - self.start

    def first(self) -> Token:
        return self.tokens[self.start]

    def last(self) -> Token:
        return self.tokens[self.end - 1]


def register_extensions() -> None:
    for name in EXTENSIONS:
        if not Token.has_extension(name):
            Token.set_extension(name, default=False)


def _forward(sent: Sentence, index: int, *, limit: int = CUE_WINDOW) -> Iterator[Token]:
    """Tokens after `index` up to the end of the clause; an "e" before a verb of the
    person's own starts another ("non masticava più e lo imboccavo")."""
    position, walked = index + 1, 0
    while position < sent.end and walked < limit:
        token = sent.tokens[position]
        if token.lower_ in CLAUSE_BREAKS or (
            token.lower_ in BACKWARD_STOPS and _own_verb_follows(sent, position)
        ):
            return
        yield token
        position += 1
        walked += 1


def _backward(sent: Sentence, index: int) -> Iterator[Token]:
    """Tokens before `index` back to the start of the clause, stopping at a verb: what was
    said before the cue in the same clause ("la macchina da cucire non la so usare"). An
    "e" ends it unless it joins objects said first ("excel e word non so cosa sono")."""
    position, walked = index - 1, 0
    while position >= sent.start and walked < CUE_WINDOW:
        token = sent.tokens[position]
        if (
            (token.lower_ in BACKWARD_STOPS and not _joins_objects(sent, position))
            or (token.lower_ in CLAUSE_BREAKS and token.lower_ not in BACKWARD_TRANSPARENT)
            or token.lower_ in SUBORDINATORS
        ):
            return
        if token.lower_ in AUXILIARIES or _first_person_verb(token):
            return
        yield token
        position -= 1
        walked += 1


def _next_is(sent: Sentence, token: Token, word: str) -> bool:
    following = _next(sent, token)
    return following is not None and following.lower_ == word


def _own_verb_follows(sent: Sentence, position: int) -> bool:
    """Is the word after `position` (past object pronouns) a verb of the person's own?"""
    position += 1
    while position < sent.end and sent.tokens[position].lower_ in OBJECT_CLITICS | INDIRECT_CLITICS:
        position += 1
    if position >= sent.end:
        return False
    token = sent.tokens[position]
    return token.lower_ in FIRST_PERSON or _first_person_verb(token)


def _joins_objects(sent: Sentence, position: int) -> bool:
    """Does the "e" at `position` join two things said before a verb, with no verb in the
    clause before it ("excel e word non so", not "facevo il muratore e il cartongesso mai
    fatto")?"""
    start = position - 1
    while start >= sent.start and sent.tokens[start].lower_ not in CLAUSE_BREAKS:
        token = sent.tokens[start]
        if token.lower_ in AUXILIARIES or is_verb(token):
            return False
        start -= 1
    return start < position - 1


def _participle(token: Token | None) -> bool:
    if token is None:
        return False
    lower = token.lower_
    return lower.endswith(PARTICIPLE_ENDINGS) and token.lemma_ != lower


def _first_person_verb(token: Token) -> bool:
    lower = token.lower_
    return lower.endswith(FIRST_PERSON_ENDINGS) and token.lemma_ != lower


def _next(sent: Sentence, token: Token) -> Token | None:
    return sent.tokens[token.i + 1] if token.i + 1 < sent.end else None


def _previous(sent: Sentence, token: Token) -> Token | None:
    return sent.tokens[token.i - 1] if token.i - 1 >= sent.start else None


def _mark(tokens: Iterator[Token], name: str) -> None:
    for token in tokens:
        setattr(token._, name, True)


def _fronted_object(sent: Sentence, cue: Token) -> bool:
    """Is the object said before "non"? "i muri non li so fare", "in cucina non mi ci hanno
    mai voluto", "la mail non so cos'è"."""
    following = _next(sent, cue)
    if following is not None and following.lower_ in INDIRECT_CLITICS:
        following = _next(sent, following)
    return following is not None and following.lower_ in OBJECT_CLITICS | TOPIC_VERBS


def _negation(sent: Sentence) -> None:
    for token in sent:
        lower = token.lower_
        following = _next(sent, token)
        before = _previous(sent, token)
        if lower in CLOSING_NEGATIONS:
            if following is None or following.lower_ in CLAUSE_BREAKS:
                _mark(_backward(sent, token.i), "negated")
            elif lower != "no":  # "zero esperienza", "niente computer"
                _mark(_forward(sent, token.i), "negated")
            continue
        if lower not in NEGATION_CUES:
            continue
        if following is not None and following.lower_ in NEGATION_EXCEPTIONS:
            continue
        _mark(_forward(sent, token.i), "negated")
        fronted = (lower in {"non", "nn"} and _fronted_object(sent, token)) or not (
            _names_anything(_forward(sent, token.i))
        )
        bare = (  # "il cartongesso mai fatto", not "sempre puntuale, mai un ritardo"
            lower in BARE_NEGATIONS
            and before is not None
            and before.lower_ not in NOT_BEFORE_BARE
            and _participle(following)
        )
        if fronted or bare:  # "i muri non li so fare", "il cartongesso mai fatto"
            _mark(_backward(sent, token.i), "negated")
        if lower in BARE_NEGATIONS and _denial_only(sent, token):
            _mark(_clause_before(sent, token.i), "negated")


NOT_NAMES = frozenset(
    {
        "mai",
        "più",
        "ancora",
        "proprio",
        "niente",
        "nulla",
        "nessuno",
        "neanche",
        "nemmeno",
        "bene",
        "male",
        "molto",
        "tanto",
        "granché",
        "capace",
        "buono",
        "pratico",
        "esperienza",
        "lì",
        "là",
        "qui",
        "qua",
    }
)


def _denial_only(sent: Sentence, cue: Token) -> bool:
    """Is the cue a clause of its own, a denial and a participle at most ("la macchina da
    cucire mi fa paura, mai usata")?"""
    before = _previous(sent, cue)
    if before is None or before.lower_ not in {",", ";"}:
        return False
    clause = list(_forward(sent, cue.i))
    return len(clause) <= 1 and all(_participle(t) for t in clause)


def _clause_before(sent: Sentence, index: int) -> Iterator[Token]:
    """The clause that ends right before the break preceding `index`."""
    end = index - 1
    start = end
    while start > sent.start and sent.tokens[start - 1].lower_ not in CLAUSE_BREAKS:
        start -= 1
    return iter(sent.tokens[start:end])


def _names_anything(tokens: Iterable[Token]) -> bool:
    """Does a negated clause name what is denied ("non ho mai guidato il furgone"), or only
    the denial ("in cucina non ho mai lavorato": the kitchen was said first)?"""
    return any(
        t.is_alpha
        and len(t.text) > 2
        and t.lower_ not in NOT_NAMES
        and t.lower_ not in OBJECT_CLITICS
        and not is_verb(t)
        and t.lower_ not in DETERMINERS
        for t in tokens
    )


# "col computer sono negato", "in cucina sono una frana": the clause is denied both ways.
DENIALS = frozenset(
    {
        "negato",
        "negata",
        "negati",
        "incapace",
        "imbranato",
        "imbranata",
        "frana",
        "schiappa",
        "disastro",
        "paura",
    }
)


def _denial(sent: Sentence) -> None:
    for token in sent:
        if token.lower_ in DENIALS:
            _mark(_clause_of(sent, token.i), "negated")


def _clause_of(sent: Sentence, index: int) -> Iterator[Token]:
    start = index
    while start > sent.start and sent.tokens[start - 1].lower_ not in CLAUSE_BREAKS:
        start -= 1
    end = index + 1
    while end < sent.end and sent.tokens[end].lower_ not in CLAUSE_BREAKS:
        end += 1
    return iter(sent.tokens[start:end])


def _understatement(sent: Sentence) -> None:
    """ "italiano poco", "poco poco italiano": the word next to it is not claimed."""
    for token in sent:
        if token.lower_ not in UNDERSTATEMENTS:
            continue
        following = _next(sent, token)
        before = _previous(sent, token)
        if following is not None and following.lower_ not in CLAUSE_BREAKS:
            following._.negated = True
        elif before is not None:
            before._.negated = True


def _is_wish_cue(sent: Sentence, token: Token) -> bool:
    lower = token.lower_
    if lower in WISH_CUES:
        return True
    if lower in WISH_CUES_BEFORE:
        following = _next(sent, token)
        return following is not None and following.lower_ in WISH_CUES_BEFORE[lower]
    if lower in WISH_CUES_AFTER:
        before = _previous(sent, token)
        return before is not None and before.lower_ in WISH_CUES_AFTER[lower]
    return (
        lower not in NOT_FUTURE
        and token.lemma_ != lower
        and FUTURE_OR_CONDITIONAL.search(lower) is not None
    )


PHRASE_STARTS = frozenset(phrase[0] for phrase in PLAN_PHRASES)


def _phrase_at(sent: Sentence, index: int) -> int:
    """Length of the plan phrase ("un giorno", "in futuro"...) starting at `index`, or 0."""
    if sent.tokens[index].lower_ not in PHRASE_STARTS:
        return 0
    for phrase in PLAN_PHRASES:
        end = index + len(phrase)
        if end <= sent.end and tuple(t.lower_ for t in sent.tokens[index:end]) == phrase:
            return len(phrase)
    return 0


def _hypothesis(sent: Sentence, token: Token) -> bool:
    """ "se trovo una ditta", "se mi prendono": what follows is a plan ("se c'era un
    problema lo risolvevo" is experience: the verb is not in the present)."""
    if token.lower_ != "se":
        return False
    following = _next(sent, token)
    while following is not None and following.lower_ in INDIRECT_CLITICS | {"ci", "ce"}:
        following = _next(sent, following)
    if following is None or following.lemma_ == following.lower_:
        return False
    lower = following.lower_
    return lower.endswith(("o", "ono", "ano")) and not lower.endswith(PAST_ENDINGS)


PAST_ENDINGS = ("avo", "evo", "ivo", "avano", "evano", "ivano", "ato", "uto", "ito")


def _rest_of_sentence(sent: Sentence, index: int) -> Iterator[Token]:
    """The rest of the sentence, up to a contrast or to a clause where the person tells
    what they did ("quando esco vorrei aprire un forno, il pane l'ho fatto per anni")."""
    position = index + 1
    while position < sent.end:
        token = sent.tokens[position]
        if token.lower_ in CONTRASTS:
            return
        if token.lower_ in {",", ";"} and _tells_past(sent, position):
            return
        yield token
        position += 1


def _tells_past(sent: Sentence, position: int) -> bool:
    clause = list(_forward(sent, position))
    return any(
        t.lower_ in PAST_AUXILIARIES or t.lower_.endswith(("avo", "evo", "ivo")) for t in clause
    )


PAST_AUXILIARIES = frozenset({"ho", "avevo", "ero", "l'ho", "abbiamo", "avevamo", "eravamo"})


def _wish(sent: Sentence) -> None:
    for token in sent:
        length = _phrase_at(sent, token.i)
        before = _previous(sent, token)
        if (
            length
            or _hypothesis(sent, token)
            or (token.lower_ in PLAN_VERBS and before is not None and before.lower_ in PLAN_OPENERS)
        ):
            _mark(_rest_of_sentence(sent, token.i + max(length - 1, 0)), "wish")
            continue
        if not _is_wish_cue(sent, token):
            continue
        _mark(_wish_forward(sent, token.i), "wish")
        if before is not None and before.lower_ in OBJECT_CLITICS:  # "il muletto lo vorrei"
            _mark(_backward(sent, token.i), "wish")


def _wish_forward(sent: Sentence, index: int) -> Iterator[Token]:
    """The clause after a wish, and the verbless pieces that go on listing what is wished
    ("mi piacerebbe lavorare all'aperto, nei giardini, col verde")."""
    last = index
    for token in _forward(sent, index, limit=WISH_WINDOW):
        last = token.i
        yield token
    position = last + 1
    while position < sent.end and sent.tokens[position].lower_ == ",":
        piece = list(_forward(sent, position))
        if not piece or any(is_verb(t) and not _infinitive(t) for t in piece):
            return
        yield from piece
        position = piece[-1].i + 1


def _infinitive(token: Token) -> bool:
    """ "aiutare", "cucinare": a wish goes on over a list of infinitives ("vorrei fare
    l'oss, aiutare gli anziani")."""
    return token.lower_.endswith(("are", "ere", "ire")) and token.lemma_ == token.lower_


FINITE_ENDINGS = (
    "avo",
    "evo",
    "ivo",
    "ava",
    "eva",
    "iva",
    "avano",
    "evano",
    "ivano",
    "avamo",
    "evamo",
    "ivamo",
    "isco",
    "isce",
    "iscono",
    "ano",
    "ono",
) + PARTICIPLE_ENDINGS
VERB_FORMS = frozenset({"fa", "fanno", "va", "vanno", "sta", "stanno", "dà", "piace", "piacciono"})


def is_verb(token: Token) -> bool:
    """A verb form, by its ending ("lavorava", "pulisce", "fatto"): nouns that the lookup
    table reads as verbs ("maneggio") are not counted."""
    lower = token.lower_
    if lower in AUXILIARIES or lower in FIRST_PERSON or lower in VERB_FORMS:
        return True
    lemma = token.lemma_
    if lemma == lower:
        return lower.endswith(("are", "ere", "ire"))
    return lemma.endswith(("are", "ere", "ire", "rre")) and lower.endswith(FINITE_ENDINGS)


DETERMINERS = frozenset(
    {
        "il",
        "lo",
        "la",
        "i",
        "gli",
        "le",
        "l'",
        "un",
        "una",
        "uno",
        "un'",
        "del",
        "della",
        "dei",
        "delle",
        "al",
        "alla",
        "ai",
        "alle",
        "nel",
        "nella",
        "in",
        "di",
        "da",
        "a",
        "con",
        "per",
        "su",
        "mio",
        "mia",
        "suo",
        "sua",
    }
)


def _present_third_person(sent: Sentence, token: Token) -> bool:
    """ "guida", "pulisce": a verb of someone else, not a noun after an article."""
    lower, lemma = token.lower_, token.lemma_
    if (
        lemma == lower
        or not lemma.endswith(("are", "ere", "ire"))
        or not lower.endswith(("a", "e"))
    ):
        return False
    before = _previous(sent, token)
    if before is not None and before.lower_ in OBJECT_CLITICS:  # "me la cambia il vicino"
        earlier = _previous(sent, before)
        if earlier is not None and earlier.lower_ in INDIRECT_CLITICS:
            return True
    return before is None or before.lower_ not in DETERMINERS


KIN_ARTICLES = frozenset({"il", "la", "lo", "l'", "i", "le", "gli"})


def _kin_at(tokens: list[Token], position: int, end: int) -> bool:
    """ "mio fratello", "la mia compagna", "i miei", "il vicino" at `position`."""
    token = tokens[position]
    if token.lower_ not in POSSESSIVES | KIN_ARTICLES:
        return False
    following = tokens[position + 1] if position + 1 < end else None
    return (following is not None and following.lower_ in KIN) or token.lower_ == "miei"


def _clauses(sent: Sentence) -> Iterator[list[Token]]:
    """Clauses between breaks; an "e" before the person's own verb or "io" starts one
    ("mia moglie fa la cuoca e io la aiuto in cucina")."""
    clause: list[Token] = []
    for token in sent:
        if token.lower_ in CLAUSE_BREAKS or (
            token.lower_ in BACKWARD_STOPS
            and (_own_verb_follows(sent, token.i) or _next_is(sent, token, "io"))
        ):
            if clause:
                yield clause
            clause = [token]
            continue
        clause.append(token)
    if clause:
        yield clause


def speaks_of_self(tokens: Iterable[Token]) -> bool:
    """Does the person speak of themselves here ("io", "ho", "facevo", "lavoriamo")?"""
    return any(t.lower_ in FIRST_PERSON or _first_person_verb(t) for t in tokens)


AGENT_ENDINGS = ("tore", "trice", "ista", "iere", "iera", "aio", "aia", "aiolo", "aiola", "ante")


def names_action(token: Token) -> bool:
    """A doing word: a verb, or a job noun ("muratore", "barista", "pizzaiolo")."""
    return is_verb(token) or (len(token.lemma_) > 5 and token.lemma_.endswith(AGENT_ENDINGS))


def _others(sent: Sentence) -> None:
    """Clauses about a relative or a friend, with a verb of theirs and no word of the
    person's own ("mio fratello fa il muratore", "il giardino lo curava mio padre"), and
    the clauses that go on about them ("mia madre faceva la sarta, cuciva per le vicine")."""
    carrying = False
    for clause in _clauses(sent):
        words = [t for t in clause if t.lower_ not in CLAUSE_BREAKS]
        if not words or speaks_of_self(words):
            carrying = False
            continue
        someone = any(
            _kin_at(sent.tokens, t.i, sent.end) or t.lower_ in OTHER_SUBJECTS for t in words
        )
        about_kin = someone and any(is_verb(t) or _present_third_person(sent, t) for t in words)
        contrast = clause[0].lower_ in CONTRASTS
        if about_kin or (carrying and not contrast):
            _mark(iter(words), "others")
            carrying = True
        else:
            carrying = False
    _kin_trades(sent)


def _kin_trades(sent: Sentence) -> None:
    """A trade named right after a relative or a friend is theirs ("ho un amico
    elettricista", "mio zio muratore")."""
    for token in sent:
        following = _next(sent, token)
        if (
            token.lower_ in KIN
            and following is not None
            and len(following.lemma_) > 5
            and following.lemma_.endswith(AGENT_ENDINGS)
        ):
            following._.others = True


def _answered_no(sents: list[Sentence]) -> None:
    """ "imbiancare? mai fatto", "capo squadra? io? no": a short question answered by a
    negation, or by another short question so answered."""
    denied = False
    for index in range(len(sents) - 2, -1, -1):
        question, answer = sents[index], sents[index + 1]
        opening = [t.lower_ for t in answer if t.lower_ not in ANSWER_FILLERS][:1]
        first = opening[0] if opening else ""
        answered_no = first in NEGATION_CUES or first in CLOSING_NEGATIONS or denied
        denied = question.last().lower_ == "?" and len(question) <= QUESTION_TOKENS and answered_no
        if denied:
            _mark(iter(question), "negated")


QUESTION_TOKENS = 6
ANSWER_FILLERS = frozenset({"ma", "e", "eh", "beh", "boh", "macché", "ah", ",", "!"})


def mark_cues(doc: Doc) -> None:
    """Mark the negated, wished and other people's words of every sentence."""
    tokens = list(doc)
    sents = [Sentence(tokens, sent.start, sent.end) for sent in doc.sents]
    for sent in sents:
        _negation(sent)
        _denial(sent)
        _understatement(sent)
        _wish(sent)
        _others(sent)
    _answered_no(sents)
