"""Fictional demo data for Lombardy, generated in bulk for `manage.py seed_demo`.

Everything is invented: organisation names end with DEMO_MARK (so `--reset` can find and delete
them), e-mail addresses use the reserved `.invalid` domain, codici fiscali are left empty. Only
the prison names are real, because they are public facts.

Speed matters (100,000 people in about a minute): rows are built by generators from
precomputed choices and written in batches, with no query per row: bulk_create for the few
thousand organisations and users, Table (multi-row INSERT, COPY on PostgreSQL) for the
millions of rows about people and opportunities. All dates
count from SeedOptions.today (by default the day it runs), so the data always looks current
and one seed gives the same data for the same day; only pseudonyms, drawn with new_pseudonym()
as the model does, differ between runs.
"""

import datetime as dt
import json
import random
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, islice, pairwise
from operator import itemgetter
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.db import connections, models, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from common.models import Municipality, Organisation, User
from common.progress import Progress, no_progress
from common.validators import partita_iva_check_digit
from competenze.models import (
    Concept,
    ConceptRelation,
    Consent,
    Experience,
    Institute,
    JudicialMeasure,
    Person,
    PersonIdentity,
    PersonLanguage,
    SkillEntry,
)
from competenze.models.people import MeasureType, new_pseudonym
from competenze.selectors.framework import framework_default
from lavoro.models import (
    Convention,
    Course,
    CourseSkill,
    Employer,
    HostBody,
    JobOffer,
    OfferSkill,
    Placement,
    Proposal,
    ProposalEvent,
    Site,
    TrainingProvider,
)

T = TypeVar("T")
M = TypeVar("M", bound=models.Model)

DEMO_MARK = " (demo)"
DEMO_PASSWORD = "ponte-demo-2026"
DEMO_EMAIL_DOMAIN = "esempio.invalid"
BATCH_SIZE = 2000

NO_MUNICIPALITIES = gettext_lazy(
    "Nessun comune nel database: esegui prima `manage.py load_municipalities`."
)
NO_FRAMEWORK = gettext_lazy(
    "Nessun quadro delle competenze predefinito: esegui prima `manage.py load_framework`."
)
NO_PROFILES = gettext_lazy(
    "Il quadro predefinito non ha profili professionali collegati a competenze: "
    "esegui `manage.py load_framework`."
)
DEMO_EXISTS = gettext_lazy(
    "Nel database ci sono già dati dimostrativi: usa --reset per eliminarli e generarli di nuovo."
)


class DemoDataError(Exception):
    """The database is not ready for demo data, or already holds some."""


@dataclass(frozen=True)
class SeedOptions:
    people: int
    offers: int
    courses: int | None = None
    placements: int | None = None
    seed: int = 2026
    reset: bool = False
    today: dt.date | None = None  # dates count from here; None: the day it runs

    @property
    def course_count(self) -> int:
        return max(10, self.offers // 2) if self.courses is None else self.courses

    @property
    def placement_count(self) -> int:
        return max(10, self.offers // 2) if self.placements is None else self.placements


@dataclass
class SeedSummary:
    counts: Counter[str]
    deleted: int
    seconds: float


# --------------------------------------------------------------------------------------------
# Static data: words to compose texts, names, places. Invented, except prisons and courts.
# --------------------------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split("|"))


@dataclass(frozen=True)
class SectorWords:
    roles: tuple[str, ...]
    places: tuple[str, ...]
    did: tuple[str, ...]  # first person, past: "preparavo i primi"
    duties: tuple[str, ...]  # nouns for offers: "preparazione dei primi"
    firms: tuple[str, ...]
    ateco: tuple[str, ...]
    licence: str
    prison_role: str


@dataclass(frozen=True)
class Origin:
    language: str
    weight: int
    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames: tuple[str, ...]
    second_language: str = ""  # besides Italian, e.g. French for Senegal


# fmt: off
# Per sector: roles | places | what I did | duties | firm names | ATECO | licence | prison job.
_SECTORS = {
    "EDI": (
        "muratore|manovale edile|imbianchino|carpentiere edile",
        "in un'impresa edile|nei cantieri della provincia|in una ditta di ristrutturazioni",
        "preparavo la malta|montavo i ponteggi|tinteggiavo gli interni|posavo piastrelle",
        "preparazione della malta|montaggio di ponteggi|tinteggiatura|posa di piastrelle",
        "Edilizia|Costruzioni|Ristrutturazioni", "41.20.00|43.39.01|43.34.00",
        "Sicurezza nei cantieri e uso dei ponteggi", "addetto alla manutenzione del fabbricato",
    ),
    "RIS": (
        "aiuto cuoco|cuoco|lavapiatti|cameriere|addetto mensa",
        "in una mensa aziendale|in un ristorante del centro|in una trattoria|in un bar",
        "preparavo i primi|pulivo la cucina|servivo ai tavoli|tagliavo le verdure",
        "preparazione dei primi piatti|pulizia della cucina|servizio ai tavoli",
        "Trattoria|Ristorante|Mensa|Pizzeria", "56.10.11|56.29.10|56.21.00",
        "HACCP per alimentaristi", "addetto alla cucina detenuti",
    ),
    "PAN": (
        "aiuto panettiere|panettiere|aiuto pasticcere|addetto al forno",
        "in un panificio di paese|in un forno industriale|in una pasticceria",
        "impastavo il pane di notte|infornavo le focacce|preparavo le brioche",
        "impasto e lievitazione|cottura in forno|preparazione di dolci",
        "Panificio|Forno|Pasticceria", "10.71.10|10.71.20",
        "HACCP per alimentaristi", "addetto al panificio dell'istituto",
    ),
    "PUL": (
        "addetto alle pulizie|addetto alla sanificazione|custode",
        "in un'impresa di pulizie|negli uffici di una banca|in un ospedale",
        "pulivo gli uffici|sanificavo i bagni|usavo la lavasciuga|facevo i turni all'alba",
        "pulizia di uffici|sanificazione dei servizi|uso della lavasciuga",
        "Multiservizi|Pulizie|Servizi integrati", "81.21.00|81.22.02",
        "Uso sicuro dei prodotti chimici", "addetto alle pulizie delle sezioni",
    ),
    "LOG": (
        "magazziniere|mulettista|addetto al carico e scarico|corriere",
        "in un magazzino della logistica|in un centro di distribuzione|in un corriere",
        "scaricavo i camion|usavo il muletto|preparavo gli ordini|facevo l'inventario",
        "carico e scarico merci|preparazione degli ordini|uso del carrello elevatore",
        "Logistica|Trasporti|Spedizioni", "52.10.20|52.29.22|53.20.00",
        "Patentino per carrelli elevatori", "addetto al magazzino (spesino)",
    ),
    "VER": (
        "giardiniere|operaio agricolo|manutentore del verde|vivaista",
        "in un vivaio|in un'azienda agricola|per una cooperativa del verde",
        "tagliavo l'erba|potavo le siepi|curavo le serre|raccoglievo la frutta",
        "taglio dell'erba|potatura di siepi|cura delle serre|raccolta",
        "Vivai|Giardini|Azienda agricola", "81.30.00|01.13.10|01.19.10",
        "Uso sicuro di decespugliatore e motosega", "addetto all'orto e al verde",
    ),
    "MET": (
        "saldatore|operaio metalmeccanico|tornitore|carpentiere metallico",
        "in un'officina meccanica|in una carpenteria metallica|in una fabbrica",
        "saldavo a filo|leggevo i disegni tecnici|lavoravo al tornio|assemblavo i pezzi",
        "saldatura a filo|lettura del disegno tecnico|lavorazioni al tornio",
        "Officina|Carpenteria|Meccanica", "25.62.00|25.11.00|33.11.00",
        "Patentino di saldatura", "addetto all'officina dell'istituto",
    ),
    "IMP": (
        "elettricista|idraulico|manutentore|aiuto elettricista",
        "in una ditta di impianti|in un'impresa di manutenzione|nei condomini",
        "passavo i cavi|montavo le prese|riparavo i rubinetti|cambiavo le caldaie",
        "posa di cavi e canaline|installazione di impianti|riparazioni idrauliche",
        "Impianti|Termoidraulica|Elettrica", "43.21.01|43.22.01",
        "Lavori elettrici PES/PAV", "addetto alla manutenzione del fabbricato",
    ),
    "SAR": (
        "sarto|addetto alla macchina da cucire|addetto alla lavanderia|stiratore",
        "in un laboratorio di sartoria|in una lavanderia industriale|in un maglificio",
        "cucivo a macchina|facevo gli orli|stiravo le camicie|controllavo i capi",
        "cucito a macchina|riparazioni sartoriali|stiratura|controllo dei capi",
        "Laboratorio tessile|Sartoria|Lavanderia", "14.13.10|96.01.10|13.92.10",
        "Sicurezza sulle macchine tessili", "addetto alla lavanderia",
    ),
    "LEG": (
        "falegname|aiuto falegname|montatore di mobili",
        "in una falegnameria|in un mobilificio|in una ditta di montaggi",
        "tagliavo i pannelli|montavo i mobili dai clienti|levigavo e verniciavo",
        "taglio dei pannelli|montaggio di mobili|levigatura e verniciatura",
        "Falegnameria|Mobilificio|Arredamenti", "16.23.10|31.09.10",
        "Sicurezza sulle macchine per il legno", "addetto alla falegnameria dell'istituto",
    ),
    "ASS": (
        "assistente familiare|ausiliario socio-assistenziale|animatore",
        "in una RSA|presso una famiglia|in un centro diurno per anziani",
        "aiutavo gli anziani a mangiare|accompagnavo alle visite|organizzavo i giochi",
        "aiuto nei pasti|igiene della persona|accompagnamento|animazione",
        "Residenza|Centro servizi|Casa di riposo", "87.30.00|88.10.00",
        "Primo soccorso (BLS-D)", "piantone (assistenza a un compagno)",
    ),
    "COM": (
        "commesso|cassiere|scaffalista|addetto vendite",
        "in un supermercato|in un negozio di abbigliamento|in un mercato rionale",
        "rifornivo gli scaffali|stavo in cassa|servivo al banco|controllavo le scadenze",
        "rifornimento degli scaffali|cassa|servizio al banco|controllo delle scadenze",
        "Market|Bottega|Emporio", "47.11.40|47.11.20|47.71.10",
        "HACCP per la vendita di alimenti", "addetto allo spaccio (spesino)",
    ),
    "INF": (
        "addetto data entry|operatore di call center|tecnico informatico junior",
        "in un call center|in un ufficio amministrativo|in un laboratorio di riparazioni",
        "inserivo dati al computer|rispondevo ai clienti al telefono|riparavo computer",
        "inserimento dati|assistenza clienti al telefono|riparazione di computer",
        "Servizi digitali|Informatica|Data service", "62.01.00|82.20.00|95.11.00",
        "Certificazione informatica di base", "addetto alla digitalizzazione degli atti",
    ),
    "GEN": (
        "operaio generico|addetto ai servizi|aiutante",
        "in una piccola azienda|in una cooperativa",
        "davo una mano dove serviva|sistemavo il materiale|pulivo il reparto",
        "supporto alle attività|movimentazione di materiale|pulizia",
        "Servizi|Lavori|Forniture", "82.99.99",
        "Sicurezza sul lavoro: formazione generale", "porta vitto",
    ),
}
LABEL_KEYWORDS = (
    ("cuoc", "RIS"), ("cucin", "RIS"), ("ristor", "RIS"), ("camerier", "RIS"), ("pizz", "RIS"),
    ("panet", "PAN"), ("panif", "PAN"), ("pasticc", "PAN"), ("murat", "EDI"), ("edil", "EDI"),
    ("imbianc", "EDI"), ("pulizi", "PUL"), ("sanific", "PUL"), ("magazz", "LOG"), ("logist", "LOG"),
    ("carrell", "LOG"), ("giardin", "VER"), ("verde", "VER"), ("agricol", "VER"), ("sald", "MET"),
    ("meccan", "MET"), ("tornit", "MET"), ("elettric", "IMP"), ("idraul", "IMP"),
    ("impiant", "IMP"),
    ("sart", "SAR"), ("cucit", "SAR"), ("lavander", "SAR"), ("falegn", "LEG"), ("legno", "LEG"),
    ("assist", "ASS"), ("socio", "ASS"), ("commess", "COM"), ("vendit", "COM"), ("cassier", "COM"),
    ("informat", "INF"), ("dati", "INF"),
)
SECTOR_WEIGHT = {
    "RIS": 14, "PUL": 12, "LOG": 12, "EDI": 12, "VER": 9, "COM": 8, "PAN": 6, "MET": 6,
    "ASS": 6, "IMP": 5, "SAR": 4, "LEG": 4, "INF": 3, "GEN": 2,
}
FANTASY = _words(
    "Aurora|Girasole|Quadrifoglio|Arcobaleno|Tre Querce|Sette Colli|Orizzonte|Bussola|Lanterna|"
    "Melograno|Gabbiano|Stella Polare|Airone|Ginestra|Acero|Fontanella|Primula|Rondine|Vela|Faro|"
    "Ciliegio|Alveare|Ancora|Betulla|Delfino|Edera|Frassino|Glicine|Mongolfiera|Trifoglio"
)
LEGAL_FORMS = _words("S.r.l.|S.n.c.|S.a.s.|Soc. Coop.|S.r.l.s.")
COUNSELLING_SERVICES = (
    ("Cooperativa Sociale Il Ponte", "Milano"),
    ("Associazione Seconda Strada", "Brescia"),
    ("Sportello Lavoro Oltre le Mura", "Bergamo"),
    ("Consorzio Ripartire Insieme", "Monza"),
    ("Servizio Orientamento Nuovi Passi", "Como"),
    ("Cooperativa Sociale La Svolta", "Pavia"),
)
INSTITUTES = (
    ("Casa Circondariale di Milano San Vittore", "cc", "Milano"),
    ("Casa di Reclusione di Milano Bollate", "cr", "Milano"),
    ("Casa di Reclusione di Milano Opera", "cr", "Opera"),
    ("Istituto Penale per i Minorenni Cesare Beccaria", "ipm", "Milano"),
    ("Casa Circondariale di Monza", "cc", "Monza"),
    ("Casa Circondariale di Bergamo", "cc", "Bergamo"),
    ("Casa Circondariale di Brescia Canton Mombello", "cc", "Brescia"),
    ("Casa di Reclusione di Brescia Verziano", "cr", "Brescia"),
    ("Casa Circondariale di Como", "cc", "Como"),
    ("Casa Circondariale di Varese", "cc", "Varese"),
    ("Casa Circondariale di Busto Arsizio", "cc", "Busto Arsizio"),
    ("Casa Circondariale di Pavia", "cc", "Pavia"),
    ("Casa Circondariale di Vigevano", "cc", "Vigevano"),
    ("Casa Circondariale di Cremona", "cc", "Cremona"),
    ("Casa Circondariale di Mantova", "cc", "Mantova"),
    ("Casa Circondariale di Lecco", "cc", "Lecco"),
    ("Casa Circondariale di Lodi", "cc", "Lodi"),
    ("Casa Circondariale di Sondrio", "cc", "Sondrio"),
)
COURT_BY_PROVINCE = {
    "MI": "Tribunale di Milano", "BG": "Tribunale di Bergamo", "BS": "Tribunale di Brescia",
    "CO": "Tribunale di Como", "VA": "Tribunale di Varese", "PV": "Tribunale di Pavia",
    "MB": "Tribunale di Monza", "CR": "Tribunale di Cremona", "MN": "Tribunale di Mantova",
    "LC": "Tribunale di Lecco", "LO": "Tribunale di Lodi", "SO": "Tribunale di Sondrio",
}
# Rounded resident populations (public facts) to weight where people live; others weigh 3,000.
CITY_POPULATION = {
    "Milano": 1_370_000, "Brescia": 198_000, "Monza": 123_000, "Bergamo": 120_000,
    "Como": 83_000, "Busto Arsizio": 83_000, "Sesto San Giovanni": 81_000, "Varese": 79_000,
    "Cinisello Balsamo": 75_000, "Cremona": 71_000, "Pavia": 71_000, "Vigevano": 62_000,
    "Legnano": 60_000, "Gallarate": 53_000, "Rho": 51_000, "Mantova": 49_000, "Lecco": 47_000,
    "Cologno Monzese": 47_000, "Paderno Dugnano": 47_000, "Lissone": 46_000, "Lodi": 45_000,
    "Seregno": 45_000, "Desio": 42_000, "Rozzano": 42_000, "Cantù": 40_000, "Saronno": 39_000,
    "Voghera": 39_000, "San Giuliano Milanese": 38_000, "Pioltello": 37_000, "Bollate": 36_000,
    "Segrate": 36_000, "Crema": 34_000, "Corsico": 34_000, "Treviglio": 30_000,
    "Sondrio": 21_000,
}
DEFAULT_POPULATION = 3_000
IT_MALE = _words(
    "Marco|Luca|Giuseppe|Antonio|Francesco|Alessandro|Davide|Matteo|Simone|Andrea|Stefano|"
    "Roberto|Paolo|Salvatore|Giovanni|Fabio|Claudio|Daniele|Massimo|Vincenzo"
)
IT_FEMALE = _words("Giulia|Francesca|Sara|Chiara|Maria|Anna|Laura|Elena|Silvia")
IT_SURNAMES = _words(
    "Rossi|Russo|Ferrari|Esposito|Bianchi|Romano|Colombo|Ricci|Marino|Greco|Bruno|Gallo|Conti|"
    "De Luca|Mancini|Costa|Giordano|Rizzo|Lombardi|Moretti|Barbieri|Fontana|Santoro|Mariani"
)
# language, weight, male names, female names, surnames, second language besides Italian
_ORIGINS = (
    ("ar", 8, "Mohamed|Youssef|Karim|Hamza|Said|Rachid|Omar", "Fatima|Khadija|Amina",
     "El Idrissi|Benali|Haddad|Mansouri|Bouzid|Trabelsi", "fr"),
    ("ro", 6, "Andrei|Ionut|Mihai|Florin|Alexandru|Marian", "Elena|Ioana|Mihaela",
     "Popescu|Ionescu|Dumitru|Stan|Radu", ""),
    ("sq", 4, "Arben|Besnik|Ermal|Gentian|Ilir|Klodian", "Elira|Anisa|Blerina",
     "Hoxha|Shehu|Krasniqi|Gashi|Leka", ""),
    ("es", 3, "Carlos|José|Luis|Jorge|Miguel", "María|Rosa|Carmen",
     "García|Rodríguez|Quispe|Mendoza|Flores|Torres", ""),
    ("en", 3, "Emeka|Chinedu|Kwame|Samuel|Godwin", "Blessing|Grace|Joy",
     "Okafor|Adeyemi|Mensah|Eze|Boateng|Okoro", ""),
    ("wo", 2, "Mamadou|Ousmane|Moussa|Abdoulaye|Cheikh", "Aminata|Fatou|Awa",
     "Diop|Ndiaye|Fall|Sow|Gueye", "fr"),
    ("uk", 1, "Oleksandr|Andrii|Dmytro|Serhii", "Olena|Iryna|Natalia",
     "Shevchenko|Kovalenko|Bondarenko|Tkachenko", ""),
    ("zh", 1, "Wei|Jun|Hao|Lei", "Mei|Xiu|Lan", "Chen|Wang|Liu", ""),
)
MEASURES = ("detenzione", "art21", "semiliberta", "affidamento", "domiciliare", "map", "lpu")
MEASURE_CUM = list(accumulate((16, 8, 6, 22, 10, 26, 12)))
DURATION_DAYS = {
    "detenzione": (365, 2900), "art21": (365, 1500), "semiliberta": (300, 1100),
    "affidamento": (180, 1100), "domiciliare": (180, 730), "map": (180, 730), "lpu": (30, 365),
}
MAX_HOURS: dict[str, tuple[int | None, ...]] = {
    "detenzione": (None, 20, 25), "art21": (36, 38, 40), "semiliberta": (30, 36, 40),
    "affidamento": (30, 36, 40, None), "domiciliare": (15, 20, 25), "map": (6, 8, 10, 12),
    "lpu": (6, 8, 10, 12, 15),
}
SCHOOL = _words(
    "Licenza media|Qualifica professionale triennale|Diploma di scuola superiore|"
    "Licenza media conseguita in istituto|Titolo di studio del paese d'origine"
)
CARE_AND_HOBBIES = (
    ("cura_famiglia", "Cura di un familiare anziano",
     "Ho assistito mia madre per due anni: la aiutavo a lavarsi, facevo la spesa e gestivo le "
     "medicine."),
    ("cura_famiglia", "Cura dei figli",
     "Ho cresciuto i miei figli: organizzavo la giornata, cucinavo e seguivo i compiti."),
    ("volontariato", "Volontario in una mensa solidale",
     "Una volta a settimana servivo i pasti e sistemavo la sala con gli altri volontari."),
    ("volontariato", "Volontario alla raccolta alimentare",
     "Raccoglievo la spesa davanti ai supermercati e preparavo i pacchi per le famiglie."),
    ("hobby", "Riparazione di biciclette",
     "Riparo le biciclette di amici e vicini: camere d'aria, freni e catene."),
    ("hobby", "Orto", "Curo un orto: semino, innaffio e raccolgo pomodori e zucchine."),
    ("hobby", "Allenatore di calcio per ragazzi",
     "Allenavo una squadra di ragazzi due volte a settimana e organizzavo le trasferte."),
)
PLACEMENT_TITLES = {
    "assistenza": _words("Supporto alla mensa solidale|Distribuzione di pacchi alimentari|"
                         "Compagnia e accompagnamento di anziani"),
    "protezione_civile": _words("Supporto logistico alla protezione civile|"
                                "Manutenzione dei mezzi di protezione civile"),
    "ambiente": _words("Cura del verde pubblico|Pulizia di parchi e sentieri|"
                       "Raccolta differenziata all'isola ecologica"),
    "patrimonio": _words("Riordino della biblioteca civica|Accoglienza al museo civico"),
    "manutenzione": _words("Piccola manutenzione delle scuole|Imbiancatura di locali comunali"),
    "animali": _words("Cura degli animali al canile|Pulizia dei box del gattile"),
    "altro": _words("Accoglienza allo sportello|Supporto alla segreteria dell'associazione"),
}
HOST_ACTIVITIES = {
    "comune": ("manutenzione", "ambiente", "patrimonio", "protezione_civile"),
    "associazione": ("assistenza", "animali", "patrimonio", "altro", "ambiente"),
    "cooperativa": ("assistenza", "ambiente", "manutenzione", "altro"),
}
# fmt: on


def _sector_words(rows: tuple[str, ...]) -> SectorWords:
    roles, places, did, duties, firms, ateco, licence, prison_role = rows
    lists = (_words(roles), _words(places), _words(did), _words(duties), _words(firms))
    return SectorWords(*lists, _words(ateco), licence, prison_role)


SECTOR_WORDS = {code: _sector_words(rows) for code, rows in _SECTORS.items()}
ORIGINS = (
    Origin("it", 72, IT_MALE, IT_FEMALE, IT_SURNAMES),
    *(
        Origin(lang, weight, _words(male), _words(female), _words(surnames), second)
        for lang, weight, male, female, surnames, second in _ORIGINS
    ),
)
ORIGIN_CUM = list(accumulate(origin.weight for origin in ORIGINS))
IN_CUSTODY = frozenset({"detenzione", "art21", "semiliberta"})
AFTER_DETENTION = frozenset({"art21", "semiliberta", "affidamento", "domiciliare"})
DAILY_WINDOW = {
    "art21": (dt.time(7), dt.time(20)),
    "semiliberta": (dt.time(6, 30), dt.time(22)),
    "domiciliare": (dt.time(8), dt.time(18)),
}
OFFER_MEASURES = (
    ["affidamento", "fine_pena"],
    ["art21", "semiliberta", "affidamento"],
    ["affidamento", "domiciliare", "fine_pena"],
    ["art21", "affidamento", "fine_pena"],
    ["detenzione"],
)
OFFER_MEASURES_CUM = list(accumulate((30, 25, 20, 22, 3)))
CONTRACTS = ("determinato", "indeterminato", "tirocinio", "apprendistato", "somministrazione")
CONTRACT_CUM = list(accumulate((40, 20, 15, 10, 15)))
STAGES = ("individuata", "validata", "certificata")
STAGE_CUM = list(accumulate((75, 18, 7)))
PLACEMENT_KINDS = frozenset({"map", "lpu"})
PLACEMENT_MEASURES = (["map", "lpu"], ["map"], ["lpu"], ["map", "lpu", "lsu"])
PLACEMENT_MEASURES_CUM = list(accumulate((60, 20, 10, 10)))
STATUS_PATH = {
    "bozza": ("bozza",),
    "inviata": ("bozza", "inviata"),
    "accettata": ("bozza", "inviata", "accettata"),
    "rifiutata": ("bozza", "inviata", "rifiutata"),
    "avviata": ("bozza", "inviata", "accettata", "avviata"),
    "conclusa": ("bozza", "inviata", "accettata", "avviata", "conclusa"),
}


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    organisation: str  # "service", "service2", "employer", "host" or "" for none
    first_name: str
    last_name: str


DEMO_USERS = (
    DemoUser("operatore", User.Role.COUNSELLOR, "service", "Chiara", "Demo"),
    DemoUser("operatore2", User.Role.COUNSELLOR, "service2", "Luca", "Demo"),
    DemoUser("responsabile", User.Role.PROGRAMME_MANAGER, "service", "Paola", "Demo"),
    DemoUser("azienda", User.Role.EMPLOYER, "employer", "Franco", "Demo"),
    DemoUser("ente", User.Role.HOST_BODY, "host", "Marta", "Demo"),
    DemoUser("beneficiario", User.Role.TRAINEE, "", "Beneficiario", "Demo"),
    DemoUser("admin", User.Role.ADMIN, "", "Amministratore", "Demo"),
)
DASHBOARD_PEOPLE = 24  # the first people go to `operatore` and `operatore2`


def demo_logins() -> list[tuple[str, str]]:
    """Usernames of the demo accounts with their role label; all use DEMO_PASSWORD."""
    logins = [(user.username, str(User.Role(user.role).label)) for user in DEMO_USERS]
    return logins + demo_idvcc.demo_logins()  # valutatore, certificatore


# --------------------------------------------------------------------------------------------
# Context: everything read from the database once, and the random source.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    id: int
    label: str
    sector: str  # a SECTOR_WORDS key
    relations: tuple[tuple[int, bool], ...]  # (concept id, essential)
    pool: tuple[int, ...]  # related concepts and their children: skills a person may hold


@dataclass
class Territory:
    ids: list[int]
    cum_weights: list[int]
    names: dict[int, str]
    province: dict[int, str]
    by_province: dict[str, list[int]]
    by_name: dict[str, int]

    def pick(self, rng: random.Random) -> int:
        return rng.choices(self.ids, cum_weights=self.cum_weights)[0]

    def near(self, rng: random.Random, municipality: int, count: int) -> list[int]:
        """The municipality plus up to `count` others of its province."""
        others = self.by_province[self.province[municipality]]
        picked = {municipality, *rng.sample(others, min(count, len(others)))}
        return sorted(picked)


@dataclass
class Skills:
    profiles: list[Profile]
    cum_weights: list[float]
    by_sector: dict[str, list[Profile]]
    sector_codes: list[str]

    def pick(self, rng: random.Random, sector: str | None = None) -> Profile:
        if sector:
            return rng.choice(self.by_sector[sector])
        return rng.choices(self.profiles, cum_weights=self.cum_weights)[0]


@dataclass(frozen=True)
class InstituteRef:
    id: int
    name: str
    kind: str
    municipality: int


@dataclass(frozen=True)
class EmployerRef:
    id: int
    organisation: int
    name: str
    sector: str
    sites: tuple[tuple[int, int], ...]  # (site id, municipality id)
    smuraglia: bool


@dataclass(frozen=True)
class HostRef:
    id: int
    organisation: int
    kind: str
    municipality: int
    convention: int


@dataclass
class Context:
    rng: random.Random
    territory: Territory
    skills: Skills
    password: str
    today: dt.date
    counts: Counter[str] = field(default_factory=Counter)
    services: list[Organisation] = field(default_factory=list)
    institutes: list[InstituteRef] = field(default_factory=list)
    counsellors: list[tuple[int, int]] = field(default_factory=list)  # (user id, org id)
    demo_counsellors: list[tuple[int, int]] = field(default_factory=list)
    users: dict[str, User] = field(default_factory=dict)
    pseudonyms: set[str] = field(default_factory=set)
    dashboard: list["PersonPlan"] = field(default_factory=list)
    now: dt.datetime = field(default_factory=timezone.now)
    tables: dict[type[models.Model], "Table"] = field(default_factory=dict)

    def insert(
        self, model: type[models.Model], rows: Sequence["Row"], label: str, returning: bool = False
    ) -> list[int]:
        """Insert attribute dicts as `model` rows (see Table); count them under `label`."""
        if not rows:
            return []
        if model not in self.tables:
            self.tables[model] = Table(model, self.now)
        self.counts[label] += len(rows)
        return self.tables[model].insert(rows, returning)


def lombardy_municipalities() -> models.QuerySet[Municipality]:
    lombard = Q(province__region__iexact="Lombardia") | Q(province__code__in=COURT_BY_PROVINCE)
    queryset = Municipality.objects.filter(lombard)
    return queryset if queryset.exists() else Municipality.objects.all()


def load_territory() -> Territory:
    rows = list(
        lombardy_municipalities().order_by("istat_code").values_list("id", "name", "province__code")
    )
    if not rows:
        raise DemoDataError(NO_MUNICIPALITIES)
    by_province: dict[str, list[int]] = {}
    for pk, _name, province in rows:
        by_province.setdefault(province, []).append(pk)
    weights = (CITY_POPULATION.get(name, DEFAULT_POPULATION) for _pk, name, _p in rows)
    return Territory(
        ids=[row[0] for row in rows],
        cum_weights=list(accumulate(weights)),
        names={pk: name for pk, name, _p in rows},
        province={pk: province for pk, _n, province in rows},
        by_province=by_province,
        by_name={name: pk for pk, name, _p in reversed(rows)},
    )


def sector_of(label: str, sector_code: str | None) -> str:
    if sector_code in SECTOR_WORDS:
        return sector_code
    lowered = label.lower()
    return next((sector for key, sector in LABEL_KEYWORDS if key in lowered), "GEN")


def load_skills() -> Skills:
    framework = framework_default()
    if framework is None:
        raise DemoDataError(NO_FRAMEWORK)
    concepts = Concept.objects.filter(framework=framework).order_by("code")
    rows = list(concepts.values_list("id", "kind", "pref_label", "parent_id", "sector__code"))
    children: dict[int, list[int]] = {}
    for pk, _kind, _label, parent, _sector in rows:
        if parent is not None:
            children.setdefault(parent, []).append(pk)
    relations: dict[int, list[tuple[int, bool]]] = {}
    links = ConceptRelation.objects.filter(source__framework=framework)
    for source, target, kind in links.order_by("source__code", "target__code").values_list(
        "source_id", "target_id", "kind"
    ):
        relations.setdefault(source, []).append((target, kind == ConceptRelation.Kind.ESSENTIAL))
    profiles = [
        _profile(pk, label, sector, relations[pk], children)
        for pk, kind, label, _parent, sector in rows
        if kind == Concept.Kind.PROFILE and pk in relations
    ]
    if not profiles:
        raise DemoDataError(NO_PROFILES)
    job_sectors = {row[4] for row in rows if row[4] in SECTOR_WORDS}  # for avoid_sectors
    return _skills(profiles, sorted(job_sectors))


def _profile(
    pk: int, label: str, sector: str | None, links: list[tuple[int, bool]], children: dict
) -> Profile:
    targets = [target for target, _essential in links]
    pool = dict.fromkeys(targets + [child for t in targets for child in children.get(t, [])])
    pool.pop(pk, None)
    return Profile(pk, label, sector_of(label, sector), tuple(links), tuple(pool))


def _skills(profiles: list[Profile], sector_codes: list[str]) -> Skills:
    by_sector: dict[str, list[Profile]] = {}
    for profile in profiles:
        by_sector.setdefault(profile.sector, []).append(profile)
    weights = (SECTOR_WEIGHT[p.sector] / len(by_sector[p.sector]) for p in profiles)
    return Skills(profiles, list(accumulate(weights)), by_sector, sector_codes)


def load_context(seed: int, today: dt.date | None = None) -> Context:
    territory = load_territory()
    skills = load_skills()
    password = make_password(DEMO_PASSWORD)
    context = Context(
        random.Random(seed), territory, skills, password, today or timezone.localdate()
    )
    context.pseudonyms = set(Person.objects.values_list("pseudonym", flat=True))
    return context


# --------------------------------------------------------------------------------------------
# Small helpers.
# --------------------------------------------------------------------------------------------


def batched(items: Iterable[T], size: int = BATCH_SIZE) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def bulk(context: Context, objects: Sequence[M], label: str) -> list[M]:
    """bulk_create and count; the objects get their primary keys (SQLite ≥ 3.35, PostgreSQL)."""
    if not objects:
        return []
    manager: models.Manager[M] = type(objects[0])._default_manager
    created = manager.bulk_create(objects, batch_size=BATCH_SIZE)
    context.counts[label] += len(created)
    return created


def day_after(start: dt.date, low: int, high: int, rng: random.Random) -> dt.date:
    return start + dt.timedelta(days=rng.randint(low, high))


def aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def demo_name(
    rng: random.Random, prefix: str, taken: set[str], forms: Sequence[str] = LEGAL_FORMS
) -> str:
    """A made-up name, unique within `taken`, e.g. "Panificio Girasole S.n.c. (demo)"."""
    base = f"{prefix} {rng.choice(FANTASY)}"
    name = f"{base} {rng.choice(forms)}{DEMO_MARK}"
    while name in taken:
        name = f"{base} {rng.randint(2, 999)} {rng.choice(forms)}{DEMO_MARK}"
    taken.add(name)
    return name


def ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(char for char in plain.lower() if char.isalnum())


def partita_iva(rng: random.Random, taken: set[str]) -> str:
    while True:
        body = f"{rng.randrange(10**9, 2 * 10**9):010d}"
        code = body + str(partita_iva_check_digit(body))
        if code not in taken:
            taken.add(code)
            return code


def pseudonym(context: Context) -> str:
    while (code := new_pseudonym()) in context.pseudonyms:
        continue
    context.pseudonyms.add(code)
    return code


def scaled(total: int, per: int, low: int, high: int) -> int:
    return max(low, min(high, total // per))


# --------------------------------------------------------------------------------------------
# Fast inserts for the tables that reach 100,000s of rows.
# --------------------------------------------------------------------------------------------

Row = dict[str, Any]
_ADAPTED_FIELDS = (models.DateField, models.TimeField, models.JSONField)  # DateTime is a Date


def _cached_adapter(field: models.Field, connection: BaseDatabaseWrapper) -> Callable[[Any], Any]:
    cache: dict[Any, Any] = {}

    def adapt(value: Any) -> Any:
        key = json.dumps(value) if isinstance(value, list | dict) else value
        if key not in cache:
            cache[key] = field.get_db_prep_save(value, connection)
        return cache[key]

    return adapt


class Table:
    """Multi-row INSERTs for one model, from dicts of attribute values.

    bulk_create prepares every value of every row through its field (about 60 µs for one
    skill row on SQLite), too slow for two million rows. Here each row starts from the
    model's own defaults, timestamps are one shared value, and only dates, times and JSON
    are adapted (with a cache), so a row costs a few µs. Like bulk_create, this skips save(),
    signals and validators; the database still checks constraints.
    """

    def __init__(self, model: type[models.Model], now: dt.datetime) -> None:
        self.connection = connections[router.db_for_write(model)]
        columns = [column for column in model._meta.concrete_fields if not column.primary_key]
        self.defaults: Row = {}
        self.adapters: dict[str, Callable[[Any], Any]] = {}
        for column in columns:
            if getattr(column, "auto_now", False) or getattr(column, "auto_now_add", False):
                self.defaults[column.attname] = column.get_db_prep_save(now, self.connection)
                continue
            default = column.get_default()
            if isinstance(column, _ADAPTED_FIELDS):
                adapt = self.adapters[column.attname] = _cached_adapter(column, self.connection)
                default = None if default is None else adapt(default)
            self.defaults[column.attname] = default
        names = list(self.defaults)
        self.values = itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
        self.quote = self.connection.ops.quote_name
        self.table = self.quote(model._meta.db_table)
        self.pk_column = model._meta.pk.column
        self.columns = ", ".join(self.quote(column.column) for column in columns)
        self.head = f"INSERT INTO {self.table} ({self.columns}) VALUES "
        self.row_sql = f"({', '.join(['%s'] * len(columns))})"
        self.tail = f" RETURNING {self.quote(self.pk_column)}"
        limit = self.connection.features.max_query_params or 65_000
        self.rows_per_statement = max(1, min(BATCH_SIZE, limit // len(columns)))

    def insert(self, rows: Sequence[Row], returning: bool = False) -> list[int]:
        """Insert the rows; with `returning`, give back their ids in the same order."""
        values = [self.values(self._merge(row)) for row in rows]
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                return self._copy(cursor, values, returning)
            return self._insert(cursor, values, returning)

    def _insert(self, cursor: CursorWrapper, values: list[tuple], returning: bool) -> list[int]:
        ids: list[int] = []
        for chunk in batched(values, self.rows_per_statement):
            sql = self.head + ", ".join([self.row_sql] * len(chunk))
            cursor.execute(sql + self.tail if returning else sql, [v for row in chunk for v in row])
            if returning:
                ids += [row[0] for row in cursor.fetchall()]
        return ids

    def _copy(self, cursor: CursorWrapper, values: list[tuple], returning: bool) -> list[int]:
        """PostgreSQL: COPY is several times faster than INSERT; ids come from the sequence."""
        ids: list[int] = []
        columns = self.columns
        if returning:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [self.table, self.pk_column, len(values)],
            )
            ids = [row[0] for row in cursor.fetchall()]
            values = [(pk, *row) for pk, row in zip(ids, values, strict=True)]
            columns = f"{self.quote(self.pk_column)}, {columns}"
        with cursor.cursor.copy(f"COPY {self.table} ({columns}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
        return ids

    def _merge(self, row: Row) -> Row:
        merged = self.defaults | row
        for name, adapt in self.adapters.items():
            if name in row and row[name] is not None:
                merged[name] = adapt(row[name])
        return merged


# --------------------------------------------------------------------------------------------
# Existing demo data: detect and delete.
# --------------------------------------------------------------------------------------------


def demo_organisations() -> models.QuerySet[Organisation]:
    return Organisation.objects.filter(name__endswith=DEMO_MARK)


def demo_data_exists() -> bool:
    return demo_organisations().exists()


def demo_data_delete() -> int:
    """Delete every demo organisation and what hangs from it; return the rows deleted.

    The big leaf tables go first, one DELETE each: Django's collector would load every row
    into memory. The collector then deletes the rest, following whatever else points at it.
    """
    orgs = demo_organisations()
    people = Person.objects.filter(organisation__in=orgs)
    leaves: list[models.QuerySet] = [
        *demo_idvcc.leaves(people),  # IDVCC records and credentials of the people's entries
        SkillEntry.evidences.through.objects.filter(skillentry__person__in=people),
        SkillEntry.objects.filter(person__in=people),
        Experience.objects.filter(person__in=people),
        PersonLanguage.objects.filter(person__in=people),
        PersonIdentity.objects.filter(person__in=people),
        JudicialMeasure.allowed_municipalities.through.objects.filter(
            judicialmeasure__person__in=people
        ),
        JudicialMeasure.objects.filter(person__in=people),
        OfferSkill.objects.filter(offer__employer__organisation__in=orgs),
        CourseSkill.objects.filter(course__provider__organisation__in=orgs),
    ]
    deleted = sum(queryset._raw_delete(queryset.db) for queryset in leaves)
    rest: list[models.QuerySet] = [
        Proposal.objects.filter(
            Q(person__in=people)
            | Q(offer__employer__organisation__in=orgs)
            | Q(course__provider__organisation__in=orgs)
            | Q(placement__host_body__organisation__in=orgs)
        ),
        Consent.objects.filter(Q(person__in=people) | Q(recipient__in=orgs)),
        people,
        Employer.objects.filter(organisation__in=orgs),
        TrainingProvider.objects.filter(organisation__in=orgs),
        Placement.objects.filter(host_body__organisation__in=orgs),  # conventions protect them
        HostBody.objects.filter(organisation__in=orgs),
        User.objects.filter(organisation__in=orgs),
        orgs,
    ]
    return deleted + sum(queryset.delete()[0] for queryset in rest)


# --------------------------------------------------------------------------------------------
# Organisations, institutes and users.
# --------------------------------------------------------------------------------------------


def create_services(context: Context) -> list[Organisation]:
    territory = context.territory
    orgs = [
        Organisation(
            name=f"{name}{DEMO_MARK}",
            kind=Organisation.Kind.SERVICE,
            municipality_id=territory.by_name.get(city) or territory.pick(context.rng),
        )
        for name, city in COUNSELLING_SERVICES
    ]
    context.services = list(bulk(context, orgs, "Servizi di orientamento"))
    return context.services


def create_institutes(context: Context) -> list[InstituteRef]:
    refs = []
    for name, kind, city in INSTITUTES:
        municipality = context.territory.by_name.get(city)
        if municipality is None:
            continue
        institute, created = Institute.objects.get_or_create(
            name=name, defaults={"kind": kind, "municipality_id": municipality}
        )
        context.counts["Istituti penitenziari"] += created
        refs.append(InstituteRef(institute.pk, name, institute.kind, institute.municipality_id))
    context.institutes = refs
    return refs


def _organisations(
    context: Context, kind: str, names: Iterable[str], label: str, places: Iterable[int] = ()
) -> Sequence[Organisation]:
    """Organisations named `names`, in `places` (or wherever people live, by default)."""
    places = iter(places)
    orgs = [
        Organisation(
            name=name,
            kind=kind,
            municipality_id=next(places, None) or context.territory.pick(context.rng),
        )
        for name in names
    ]
    return bulk(context, orgs, label)


def create_employers(context: Context, count: int) -> list[EmployerRef]:
    rng = context.rng
    choices = [s for s in context.skills.by_sector if s != "GEN"] or ["GEN"]
    sectors = [rng.choice(choices) for _i in range(count)]
    taken: set[str] = set()
    names = [demo_name(rng, rng.choice(SECTOR_WORDS[s].firms), taken) for s in sectors]
    orgs = _organisations(context, Organisation.Kind.EMPLOYER, names, "Organizzazioni datori")
    taken_vat = set(Employer.objects.values_list("partita_iva", flat=True))
    employers = [
        Employer(
            organisation_id=org.pk,
            partita_iva=partita_iva(rng, taken_vat),
            ateco_code=rng.choice(SECTOR_WORDS[sector].ateco),
            description="Impresa di fantasia creata per la demo di Ponte.",
            smuraglia_interest=rng.random() < 0.4,
        )
        for sector, org in zip(sectors, orgs, strict=True)
    ]
    bulk(context, employers, "Datori di lavoro")
    sites = _create_sites(context, employers, orgs)
    return [
        EmployerRef(
            employer.pk,
            org.pk,
            org.name.removesuffix(DEMO_MARK),
            sector,
            sites[employer.pk],
            employer.smuraglia_interest,
        )
        for employer, org, sector in zip(employers, orgs, sectors, strict=True)
    ]


def _create_sites(
    context: Context, employers: Sequence[Employer], orgs: Sequence[Organisation]
) -> dict[int, tuple[tuple[int, int], ...]]:
    """One site where the employer is, a second one elsewhere for about a third of them."""
    rng, territory = context.rng, context.territory
    sites = []
    for employer, org in zip(employers, orgs, strict=True):
        home = org.municipality_id or territory.pick(rng)
        homes = [home] + [territory.pick(rng) for _i in range(rng.random() < 0.3)]
        sites += [
            Site(employer_id=employer.pk, name=f"Sede di {territory.names[m]}", municipality_id=m)
            for m in homes
        ]
    by_employer: dict[int, tuple[tuple[int, int], ...]] = {}
    for site in bulk(context, sites, "Sedi"):
        pair = (site.pk, site.municipality_id)
        by_employer[site.employer_id] = (*by_employer.get(site.employer_id, ()), pair)
    return by_employer


def create_providers(context: Context, count: int) -> list[int]:
    rng = context.rng
    taken: set[str] = set()
    prefixes = ("Centro di Formazione", "Scuola dei Mestieri", "Accademia del Lavoro")
    forms = ("S.r.l.", "Impresa Sociale", "Fondazione")
    names = [demo_name(rng, rng.choice(prefixes), taken, forms) for _i in range(count)]
    kind = Organisation.Kind.TRAINING_PROVIDER
    orgs = _organisations(context, kind, names, "Organizzazioni enti di formazione")
    providers = [
        TrainingProvider(organisation_id=org.pk, accreditation_code=f"DEMO-{number:05d}")
        for number, org in enumerate(orgs, start=1)
    ]
    return [provider.pk for provider in bulk(context, providers, "Enti di formazione")]


HOST_KINDS = (HostBody.Kind.MUNICIPALITY, HostBody.Kind.ASSOCIATION, HostBody.Kind.COOPERATIVE)
HOST_NAMES = {  # where a comune's name is taken, an association or cooperative stands in
    HostBody.Kind.MUNICIPALITY: ("Associazione", ("ODV", "APS")),
    HostBody.Kind.ASSOCIATION: ("Associazione", ("ODV", "APS")),
    HostBody.Kind.COOPERATIVE: ("Cooperativa Sociale", ("Onlus", "Impresa Sociale")),
}


def create_host_bodies(context: Context, count: int) -> list[HostRef]:
    """Comuni, associations and social cooperatives in turn, each with one convention."""
    rng, territory = context.rng, context.territory
    kinds = [HOST_KINDS[index % 3] for index in range(count)]
    places = [territory.pick(rng) for _i in range(count)]
    taken: set[str] = set()
    names = []
    for kind, place in zip(kinds, places, strict=True):
        town = f"Comune di {territory.names[place]}{DEMO_MARK}"
        if kind == HostBody.Kind.MUNICIPALITY and town not in taken:
            taken.add(town)
            names.append(town)
        else:
            prefix, forms = HOST_NAMES[kind]
            names.append(demo_name(rng, prefix, taken, forms))
    org_kind = Organisation.Kind.HOST_BODY
    orgs = _organisations(context, org_kind, names, "Organizzazioni enti ospitanti", places)
    hosts = [HostBody(organisation_id=org.pk, kind=k) for org, k in zip(orgs, kinds, strict=True)]
    bulk(context, hosts, "Enti ospitanti")
    conventions = [
        _convention(context, host.pk, place) for host, place in zip(hosts, places, strict=True)
    ]
    bulk(context, conventions, "Convenzioni")
    return [
        HostRef(host.pk, org.pk, host.kind, place, convention.pk)
        for host, org, place, convention in zip(hosts, orgs, places, conventions, strict=True)
    ]


def _convention(context: Context, host: int, municipality: int) -> Convention:
    rng = context.rng
    province = context.territory.province[municipality]
    valid_from = context.today - dt.timedelta(days=rng.randint(30, 900))
    return Convention(
        host_body_id=host,
        court=COURT_BY_PROVINCE.get(province, "Tribunale di Milano"),
        reference=f"{rng.randint(1, 450)}/{valid_from.year}",
        valid_from=valid_from,
        valid_to=valid_from + dt.timedelta(days=365 * rng.choice((3, 5))),
        total_places=rng.randint(5, 40),
    )


def create_users(context: Context, people: int, employer_org: int, host_org: int) -> None:
    """The named demo logins, plus extra counsellors for every service.

    Named logins are created or realigned (role, organisation, DEMO_PASSWORD): the usernames
    are reserved for the demo. `admin` and `beneficiario` have no organisation, so they
    survive --reset; the others go with their demo organisation.
    """
    orgs: dict[str, int | None] = {
        "service": context.services[0].pk,
        "service2": context.services[1].pk,
        "employer": employer_org,
        "host": host_org,
        "": None,
    }
    for spec in DEMO_USERS:
        user, _created = User.objects.update_or_create(
            username=spec.username,
            defaults={
                "role": spec.role,
                "organisation_id": orgs[spec.organisation],
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@{DEMO_EMAIL_DOMAIN}",
                "password": context.password,
                "is_active": True,
                "is_staff": spec.role == User.Role.ADMIN,
                "is_superuser": spec.role == User.Role.ADMIN,
            },
        )
        context.users[spec.username] = user
        context.counts["Utenti demo"] += 1
    context.demo_counsellors = [
        (context.users["operatore"].pk, context.services[0].pk),
        (context.users["operatore2"].pk, context.services[1].pk),
    ]
    _create_counsellors(context, max(3, people // (150 * len(context.services))))


def _create_counsellors(context: Context, per_service: int) -> None:
    rng = context.rng
    users, services = [], []
    for org_index, org in enumerate(context.services, start=1):
        services += [org.pk] * per_service
        for number in range(1, per_service + 1):
            username = f"orientatore{org_index}.{number:04d}.demo"
            users.append(
                User(
                    username=username,
                    password=context.password,
                    role=User.Role.COUNSELLOR,
                    organisation_id=org.pk,
                    first_name=rng.choice(IT_FEMALE + IT_MALE),
                    last_name=rng.choice(IT_SURNAMES),
                    email=f"{username}@{DEMO_EMAIL_DOMAIN}",
                )
            )
    created = bulk(context, users, "Orientatori")
    pairs = [(user.pk, service) for user, service in zip(created, services, strict=True)]
    context.counsellors = context.demo_counsellors + pairs


# --------------------------------------------------------------------------------------------
# People: one PersonPlan per person, built in memory, saved in batches.
# --------------------------------------------------------------------------------------------


@dataclass
class PersonPlan:
    """The rows of one person, as attribute dicts; foreign keys to the person come at save."""

    person: Row
    identity: Row
    measures: list[tuple[Row, list[int]]]  # with the allowed municipalities
    languages: list[Row] = field(default_factory=list)
    consents: list[Row] = field(default_factory=list)
    experiences: list[Row] = field(default_factory=list)
    skills: list[Row] = field(default_factory=list)
    pk: int = 0  # set once saved

    @property
    def measure_type(self) -> str:
        return self.measures[0][0]["measure_type"]


def iter_people(context: Context, count: int) -> Iterator[PersonPlan]:
    for index in range(count):
        yield person_plan(context, index)


def person_plan(context: Context, index: int) -> PersonPlan:
    rng = context.rng
    if index < DASHBOARD_PEOPLE:
        counsellor, organisation = context.demo_counsellors[index % 2]
    else:
        counsellor, organisation = rng.choice(context.counsellors)
    kind = MEASURES[rng.choices(range(len(MEASURES)), cum_weights=MEASURE_CUM)[0]]
    institute = rng.choice(context.institutes) if context.institutes else None
    if institute and kind in IN_CUSTODY and rng.random() < 0.7:
        domicile = institute.municipality
    else:
        domicile = context.territory.pick(rng)
    if institute and institute.kind == Institute.Kind.IPM and kind in IN_CUSTODY:
        birth_year = rng.randint(2002, 2007)  # an IPM holds people up to 25
    else:
        birth_year = round(rng.triangular(1958, 2006, 1990))
    measures = plan_measures(context, kind, institute, domicile)
    limit = measures[0][0]["max_weekly_hours"]
    hours = rng.choice((10, 15, 20, 25, 30, 36, 40))
    person = {
        "pseudonym": pseudonym(context),
        "organisation_id": organisation,
        "counsellor_id": counsellor,
        "domicile_id": domicile,
        "birth_year": birth_year,
        "weekly_hours_available": min(hours, limit) if limit else hours,
        "available_from": day_after(context.today, -60, 240, rng),
    }
    identity, origin = plan_identity(context, birth_year)
    plan = PersonPlan(person, identity, measures, plan_languages(rng, origin))
    plan.consents = plan_consents(context, counsellor)
    main = context.skills.pick(rng)
    words = plan_experiences(context, plan, main, institute)
    plan_skills(context, plan, main, counsellor, words)
    if len(plan.consents) > 1:  # shared with employers: write a short presentation
        person["summary"] = (
            f"Esperienza come {plan.experiences[0]['title'].lower()}. Disponibile "
            f"{person['weekly_hours_available']} ore a settimana dal "
            f"{person['available_from']:%d/%m/%Y}."
        )
    if index < DASHBOARD_PEOPLE:
        context.dashboard.append(plan)
    return plan


def plan_measures(
    context: Context, kind: str, institute: InstituteRef | None, domicile: int
) -> list[tuple[Row, list[int]]]:
    """The current measure, and for some the detention that came before it."""
    rng = context.rng
    start = context.today - dt.timedelta(days=rng.randint(20, 700))
    end = day_after(start, *DURATION_DAYS[kind], rng)
    if end < context.today + dt.timedelta(days=30):
        end = day_after(context.today, 30, 540, rng)
    measures = [_measure(context, kind, institute, domicile, start, end)]
    if kind in AFTER_DETENTION and rng.random() < 0.35:
        before = start - dt.timedelta(days=1)
        previous = {
            "measure_type": MeasureType.DETENTION.value,
            "institute_id": institute.id if institute else None,
            "start_date": before - dt.timedelta(days=rng.randint(180, 1500)),
            "end_date": before,
        }
        measures.append((previous, []))
    return measures


def _measure(
    context: Context,
    kind: str,
    institute: InstituteRef | None,
    domicile: int,
    start: dt.date,
    end: dt.date,
) -> tuple[Row, list[int]]:
    rng, territory = context.rng, context.territory
    measure: Row = {
        "measure_type": kind,
        "institute_id": institute.id if institute and kind in IN_CUSTODY else None,
        "start_date": start,
        "end_date": end,
        "max_weekly_hours": rng.choice(MAX_HOURS[kind]),
    }
    if kind in DAILY_WINDOW:
        measure["daily_start"], measure["daily_end"] = DAILY_WINDOW[kind]
    elif kind == "affidamento" and rng.random() < 0.5:
        measure["daily_end"] = dt.time(22)
    allowed: list[int] = []
    draw = rng.random()
    if kind == "art21" and institute:
        allowed = territory.near(rng, institute.municipality, rng.randint(0, 2))
    elif kind == "semiliberta" or (kind not in IN_CUSTODY and draw < 0.45):
        measure["allowed_radius_km"] = rng.choice((10, 15, 20, 30, 50))
    elif kind not in IN_CUSTODY and draw < 0.75:
        allowed = territory.near(rng, domicile, rng.randint(0, 3))
    if context.skills.sector_codes and rng.random() < 0.06:
        measure["avoid_sectors"] = [rng.choice(context.skills.sector_codes)]
    return measure, allowed


def plan_identity(context: Context, birth_year: int) -> tuple[Row, Origin]:
    rng = context.rng
    origin = rng.choices(ORIGINS, cum_weights=ORIGIN_CUM)[0]
    first = rng.choice(origin.female if rng.random() < 0.12 else origin.male)
    last = rng.choice(origin.surnames)
    identity = {
        "first_name": first,
        "last_name": last,
        "birth_date": dt.date(birth_year, rng.randint(1, 12), rng.randint(1, 28)),
    }
    if rng.random() < 0.4:
        number = rng.randint(1, 999)
        identity["email"] = f"{ascii_slug(first)}.{ascii_slug(last)}{number}@{DEMO_EMAIL_DOMAIN}"
    return identity, origin


def plan_languages(rng: random.Random, origin: Origin) -> list[Row]:
    levels = {origin.language: "madrelingua"}
    if origin.language != "it":
        levels["it"] = rng.choice(("A2", "B1", "B1", "B2", "C1"))
    if origin.second_language:
        levels[origin.second_language] = rng.choice(("B1", "B2", "C1"))
    if rng.random() < 0.2:
        levels.setdefault("en", rng.choice(("A1", "A2", "B1", "B2")))
    return [{"language": code, "level": level} for code, level in levels.items()]


def plan_consents(context: Context, counsellor: int) -> list[Row]:
    """Processing for everyone, a profile visible to employers for about 70%."""
    rng = context.rng
    given = aware(context.today - dt.timedelta(days=rng.randint(1, 400)))
    purposes = [Consent.Purpose.PROCESSING.value]
    if rng.random() < 0.7:
        purposes.append(Consent.Purpose.SHARE_PROFILE.value)
    return [
        {"purpose": purpose, "given_at": given, "recorded_by_id": counsellor}
        for purpose in purposes
    ]


def plan_experiences(
    context: Context, plan: PersonPlan, main: Profile, institute: InstituteRef | None
) -> SectorWords:
    """1–4 experiences, the first a job in the main profile's sector; return its words."""
    rng = context.rng
    words = SECTOR_WORDS[main.sector]
    plan.experiences = [_job(rng, words)]
    detained = any(measure["institute_id"] for measure, _allowed in plan.measures)
    for _i in range(rng.randint(0, 3)):
        draw = rng.random()
        if draw < 0.3:
            plan.experiences.append(_job(rng, SECTOR_WORDS[context.skills.pick(rng).sector]))
        elif draw < 0.5 and detained and institute:
            plan.experiences.append(_prison_job(rng, words, institute.name, context.today))
        elif draw < 0.65:
            plan.experiences.append(_course(rng, words))
        elif draw < 0.8:
            plan.experiences.append(_school(rng))
        else:
            plan.experiences.append(_informal(rng))
    return words


def _duration(rng: random.Random) -> tuple[int, str]:
    months = rng.choice((4, 6, 8, 12, 18, 24, 36, 48, 60, 96))
    if months < 12:
        return months, f"{months} mesi"
    return months, "un anno" if months < 24 else f"{months // 12} anni"


def _job(rng: random.Random, words: SectorWords) -> Row:
    months, length = _duration(rng)
    role = rng.choice(words.roles)
    first, second = rng.sample(words.did, 2)
    end = dt.date(rng.randint(2008, 2024), rng.randint(1, 12), 1)
    return {
        "kind": Experience.Kind.INFORMAL.value,
        "category": Experience.Category.JOB.value,
        "title": role.capitalize(),
        "organisation_name": f"{rng.choice(words.firms)} {rng.choice(FANTASY)} (di fantasia)",
        "start_date": end - dt.timedelta(days=months * 30),
        "end_date": end,
        "description": f"Ho lavorato come {role} per {length} {rng.choice(words.places)}, "
        f"{first} e {second}.",
    }


def _prison_job(rng: random.Random, words: SectorWords, institute: str, today: dt.date) -> Row:
    months = rng.randint(3, 30)
    end = today - dt.timedelta(days=rng.randint(30, 700))
    return {
        "kind": Experience.Kind.INFORMAL.value,
        "category": Experience.Category.PRISON_WORK.value,
        "title": words.prison_role.capitalize(),
        "organisation_name": institute,
        "start_date": end - dt.timedelta(days=months * 30),
        "end_date": end,
        "description": f"In istituto ho lavorato come {words.prison_role} per {months} mesi: "
        f"{rng.choice(words.did)}.",
    }


def _course(rng: random.Random, words: SectorWords) -> Row:
    title = rng.choice((words.licence, "Sicurezza sul lavoro: formazione generale"))
    hours = rng.choice((8, 12, 16, 40, 80))
    end = dt.date(rng.randint(2012, 2025), rng.randint(1, 12), 15)
    return {
        "kind": Experience.Kind.NON_FORMAL.value,
        "category": Experience.Category.COURSE.value,
        "title": title,
        "organisation_name": f"Centro di formazione {rng.choice(FANTASY)} (di fantasia)",
        "start_date": end - dt.timedelta(days=hours),
        "end_date": end,
        "description": f"Ho frequentato il corso «{title}» di {hours} ore e ho l'attestato.",
    }


def _school(rng: random.Random) -> Row:
    title, year = rng.choice(SCHOOL), rng.randint(1985, 2022)
    return {
        "kind": Experience.Kind.FORMAL.value,
        "category": Experience.Category.SCHOOL.value,
        "title": title,
        "end_date": dt.date(year, 6, 30),
        "description": f"{title}, ottenuto nel {year}.",
    }


def _informal(rng: random.Random) -> Row:
    category, title, description = rng.choice(CARE_AND_HOBBIES)
    kind = Experience.Kind.INFORMAL.value
    return {"kind": kind, "category": category, "title": title, "description": description}


def plan_skills(
    context: Context, plan: PersonPlan, main: Profile, counsellor: int, words: SectorWords
) -> None:
    """3–12 skills among the main profile's competences and their children; a second
    profile tops up profiles with too few."""
    rng = context.rng
    wanted = rng.randint(3, 12)
    pool = main.pool
    if len(pool) < wanted:
        pool = tuple(dict.fromkeys(pool + context.skills.pick(rng).pool))
    chosen = rng.sample(pool, min(wanted, len(pool)))
    plan.skills = [_skill(rng, concept, counsellor, words, context.today) for concept in chosen]


def _skill(
    rng: random.Random, concept: int, counsellor: int, words: SectorWords, today: dt.date
) -> Row:
    stage = STAGES[rng.choices(range(3), cum_weights=STAGE_CUM)[0]]
    draw = rng.random()
    if stage == SkillEntry.Stage.CERTIFIED:
        source, evidence = SkillEntry.Source.CERTIFICATE, f"Attestato «{words.licence}»."
    elif draw < 0.45:
        source, evidence = SkillEntry.Source.INTERVIEW, f"«{rng.choice(words.did).capitalize()}»"
    elif draw < 0.8:
        source, evidence = SkillEntry.Source.EXPERIENCE, f"{rng.choice(words.did).capitalize()}."
    else:
        source, evidence = SkillEntry.Source.COUNSELLOR, "Osservata durante il colloquio."
    entry: Row = {
        "concept_id": concept,
        "level": rng.choices((1, 2, 3, 4), cum_weights=(35, 75, 95, 100))[0],
        "stage": stage,
        "source": source.value,
        "evidence_text": evidence,
        "recorded_by_id": counsellor,
    }
    if source != SkillEntry.Source.COUNSELLOR:
        entry["confidence"] = round(rng.uniform(0.55, 0.98), 2)
    if stage != SkillEntry.Stage.IDENTIFIED:
        entry["stage_changed_by_id"] = counsellor
        entry["stage_changed_at"] = aware(today - dt.timedelta(days=rng.randint(1, 300)))
    return entry


def save_people(context: Context, plans: Sequence[PersonPlan]) -> None:
    ids = context.insert(Person, [plan.person for plan in plans], "Persone", returning=True)
    identities, measures, languages, consents, experiences = [], [], [], [], []
    for plan, pk in zip(plans, ids, strict=True):
        plan.pk = pk
        plan.identity["person_id"] = pk
        identities.append(plan.identity)
        for row in plan.languages + plan.consents + plan.experiences:
            row["person_id"] = pk
        for measure, _allowed in plan.measures:
            measure["person_id"] = pk
            measures.append(measure)
        languages += plan.languages
        consents += plan.consents
        experiences += plan.experiences
    context.insert(PersonIdentity, identities, "Dati identificativi")
    context.insert(PersonLanguage, languages, "Lingue")
    context.insert(Consent, consents, "Consensi")
    measure_ids = iter(context.insert(JudicialMeasure, measures, "Misure", returning=True))
    experience_ids = context.insert(Experience, experiences, "Esperienze", returning=True)
    allowed, skills, first_experience = [], [], 0
    for plan in plans:
        # zip stops at the person's own measures, leaving the rest of the ids for the next
        for (_row, towns), measure_id in zip(plan.measures, measure_ids, strict=False):
            allowed += [{"judicialmeasure_id": measure_id, "municipality_id": m} for m in towns]
        for entry in plan.skills:
            entry["person_id"] = plan.pk
            if entry["source"] == SkillEntry.Source.EXPERIENCE:  # learnt in the first job
                entry["experience_id"] = experience_ids[first_experience]
        skills += plan.skills
        first_experience += len(plan.experiences)
    context.insert(JudicialMeasure.allowed_municipalities.through, allowed, "Comuni consentiti")
    context.insert(SkillEntry, skills, "Competenze delle persone")


# --------------------------------------------------------------------------------------------
# Opportunities: job offers, courses, MAP/LPU placements.
# --------------------------------------------------------------------------------------------


def _weighted(rng: random.Random, values: Sequence[T], cum_weights: Sequence[float]) -> T:
    return rng.choices(values, cum_weights=cum_weights)[0]


def iter_offers(
    context: Context, employers: Sequence[EmployerRef], count: int
) -> Iterator[tuple[Row, list[Row]]]:
    """Offers with their skills: every employer gets one, then at random."""
    rng, names = context.rng, context.territory.names
    contracts = {choice.value: str(choice.label).lower() for choice in JobOffer.Contract}
    for index in range(count):
        employer = employers[index] if index < len(employers) else rng.choice(employers)
        profile = context.skills.pick(rng, employer.sector)
        site, municipality = rng.choice(employer.sites)
        duties = ", ".join(rng.sample(SECTOR_WORDS[profile.sector].duties, 2))
        contract = _weighted(rng, CONTRACTS, CONTRACT_CUM)
        hours = rng.choice((20, 24, 30, 36, 38, 40))
        status = _weighted(rng, ("pubblicata", "bozza", "chiusa"), (80, 90, 100))
        start = day_after(context.today, 7, 300, rng)
        published = start - dt.timedelta(days=rng.randint(10, 60))
        offer = {
            "employer_id": employer.id,
            "site_id": site,
            "title": profile.label if hours > 24 else f"{profile.label} (part-time)",
            "description": f"{employer.name} cerca personale per la sede di {names[municipality]}."
            f" Mansioni: {duties}. Contratto a {contracts[contract]}, {hours} ore settimanali.",
            "municipality_id": municipality,
            "status": status,
            "start_date": start,
            "weekly_hours": hours,
            "profile_id": profile.id,
            "contract": contract,
            "positions": _weighted(rng, (1, 2, 3, 5), (70, 88, 97, 100)),
            "compatible_measures": _weighted(rng, OFFER_MEASURES, OFFER_MEASURES_CUM),
            "smuraglia_eligible": employer.smuraglia and rng.random() < 0.7,
            "published_at": None if status == "bozza" else aware(published),
        }
        skills = [
            {"concept_id": concept, "essential": essential}
            for concept, essential in profile.relations[:12]
            if essential or rng.random() < 0.5
        ]
        yield offer, skills


def save_offers(context: Context, rows: Sequence[tuple[Row, list[Row]]]) -> None:
    offers = [offer for offer, _skills in rows]
    ids = context.insert(JobOffer, offers, "Offerte di lavoro", returning=True)
    links = []
    for (_offer, skills), pk in zip(rows, ids, strict=True):
        for skill in skills:
            skill["offer_id"] = pk
        links += skills
    context.insert(OfferSkill, links, "Competenze delle offerte")


CERTIFICATE_HOURS = {
    "frequenza": (16, 80),
    "competenze": (40, 120),
    "qualifica": (400, 800),
    "abilitazione": (8, 40),
}
CERTIFICATE_CUM = (40, 65, 85, 100)


def _course_title(certificate: str, profile: Profile) -> str:
    if certificate == "abilitazione":
        return SECTOR_WORDS[profile.sector].licence
    prefix = {"frequenza": "Corso base", "competenze": "Certificazione delle competenze"}
    return f"{prefix.get(certificate, 'Qualifica regionale')}: {profile.label}"


def iter_courses(
    context: Context, providers: Sequence[int], count: int
) -> Iterator[tuple[Row, list[Row]]]:
    """Courses in 2026–2027, about a third inside a prison, with the competences they build."""
    rng = context.rng
    for index in range(count):
        profile = context.skills.pick(rng)
        certificate = _weighted(rng, tuple(CERTIFICATE_HOURS), CERTIFICATE_CUM)
        inside = bool(context.institutes) and rng.random() < 0.3
        institute = rng.choice(context.institutes) if inside else None
        hours = rng.randint(*CERTIFICATE_HOURS[certificate])
        weekly = rng.choice((10, 15, 20, 25, 30))
        start = day_after(context.today, 7, 540, rng)
        end = start + dt.timedelta(weeks=max(1, hours // weekly))
        seats = rng.randint(8, 20)
        where = f" presso la {institute.name}" if institute else ""
        course = {
            "provider_id": providers[index] if index < len(providers) else rng.choice(providers),
            "title": _course_title(certificate, profile),
            "description": f"Corso gratuito di {hours} ore per chi è in esecuzione penale{where}.",
            "municipality_id": institute.municipality if institute else context.territory.pick(rng),
            "institute_id": institute.id if institute else None,
            "status": _weighted(rng, ("pubblicata", "bozza", "chiusa"), (85, 95, 100)),
            "start_date": start,
            "end_date": end,
            "weekly_hours": weekly,
            "profile_id": profile.id,
            "seats": seats,
            "seats_taken": rng.randint(0, seats),
            "total_hours": hours,
            "certificate": certificate,
        }
        concepts = [concept for concept, _essential in profile.relations]
        chosen = rng.sample(concepts, min(len(concepts), rng.randint(2, 6)))
        yield course, [{"concept_id": concept} for concept in chosen]


def save_courses(context: Context, rows: Sequence[tuple[Row, list[Row]]]) -> None:
    courses = [course for course, _skills in rows]
    ids = context.insert(Course, courses, "Corsi", returning=True)
    links = []
    for (_course, skills), pk in zip(rows, ids, strict=True):
        for skill in skills:
            skill["course_id"] = pk
        links += skills
    context.insert(CourseSkill, links, "Competenze dei corsi")


def iter_placements(context: Context, hosts: Sequence[HostRef], count: int) -> Iterator[Row]:
    """MAP/LPU places: every host body gets one, then at random."""
    rng = context.rng
    for index in range(count):
        host = hosts[index] if index < len(hosts) else rng.choice(hosts)
        activity = rng.choice(HOST_ACTIVITIES[host.kind])
        places = rng.randint(1, 4)
        hours = rng.choice((4, 6, 8, 10, 12, 16))
        yield {
            "host_body_id": host.id,
            "convention_id": host.convention,
            "title": rng.choice(PLACEMENT_TITLES[activity]),
            "description": "Attività di pubblica utilità in convenzione con il tribunale, "
            "seguita da un tutor dell'ente.",
            "municipality_id": host.municipality,
            "status": _weighted(rng, ("pubblicata", "bozza", "chiusa"), (85, 93, 100)),
            "start_date": day_after(context.today, 0, 200, rng),
            "weekly_hours": hours,
            "activity": activity,
            "places": places,
            "places_taken": rng.randint(0, places),
            "min_weekly_hours": min(hours, rng.choice((2, 4, 6))),
            "eligible_measures": _weighted(rng, PLACEMENT_MEASURES, PLACEMENT_MEASURES_CUM),
        }


def save_placements(context: Context, rows: Sequence[Row]) -> None:
    context.insert(Placement, rows, "Posti MAP/LPU")


# --------------------------------------------------------------------------------------------
# The demo beneficiary and proposals for the dashboards.
# --------------------------------------------------------------------------------------------


TRAINEE_MEASURES = ("affidamento", "fine_pena", "semiliberta", "art21")


def link_beneficiary(context: Context) -> None:
    """Give the `beneficiario` login a person of `operatore`'s caseload who serves the
    measure outside (so courses can fit the demo), with room for a course in the week."""
    user = context.users["beneficiario"]
    Person.objects.filter(user=user).update(user=None)
    chosen = next(
        (p for p in context.dashboard if p.measure_type in TRAINEE_MEASURES), context.dashboard[0]
    )
    Person.objects.filter(pk=chosen.pk).update(user=user, weekly_hours_available=30)
    measures = JudicialMeasure.objects.filter(person_id=chosen.pk)
    measures.update(max_weekly_hours=None, allowed_radius_km=None)
    JudicialMeasure.allowed_municipalities.through.objects.filter(
        judicialmeasure__in=measures
    ).delete()


OFFER_STATUSES = ("inviata", "accettata", "avviata", "rifiutata", "bozza", "inviata")
PLACEMENT_STATUSES = ("inviata", "avviata", "conclusa", "bozza")
COURSE_STATUSES = ("accettata", "inviata", "bozza")
HOURS_DONE = {"avviata": 24, "conclusa": 120}


def _targets(
    kind: str, queryset: models.QuerySet, organisation: str, statuses: tuple[str, ...]
) -> list[tuple[str, int, str, int, str]]:
    """(kind, target id, title, recipient organisation id, status) for the first targets."""
    rows = queryset.order_by("pk").values_list("pk", "title", organisation)[: len(statuses)]
    return [(kind, *row, status) for row, status in zip(rows, statuses, strict=False)]


def create_proposals(context: Context, employer: EmployerRef, host: HostRef) -> None:
    """A handful of proposals in every status, for `operatore`, `azienda` and `ente`:
    offers of the first employer, places of the first host body, the first courses."""
    targets = [
        *_targets(
            "offer",
            JobOffer.objects.filter(employer_id=employer.id, status="pubblicata"),
            "employer__organisation_id",
            OFFER_STATUSES,
        ),
        *_targets(
            "placement",
            Placement.objects.filter(host_body_id=host.id),
            "host_body__organisation_id",
            PLACEMENT_STATUSES,
        ),
        *_targets(
            "course",
            Course.objects.filter(status="pubblicata"),
            "provider__organisation_id",
            COURSE_STATUSES,
        ),
    ]
    community = [p for p in context.dashboard if p.measure_type in PLACEMENT_KINDS]
    others = [p for p in context.dashboard if p.measure_type not in PLACEMENT_KINDS]
    pairs = []
    for number, target in enumerate(targets):
        people = (community if target[0] == "placement" else others) or context.dashboard
        pairs.append(_proposal(context, people[number % len(people)], target))
    bulk(context, [consent for _proposal, consent in pairs if consent], "Consensi")
    for proposal, consent in pairs:
        proposal.consent = consent
    saved = bulk(context, [proposal for proposal, _consent in pairs], "Proposte")
    events = [
        ProposalEvent(
            proposal_id=proposal.pk,
            from_status=before,
            to_status=after,
            actor_id=proposal.proposed_by_id,
        )
        for proposal in saved
        for before, after in pairwise(("", *STATUS_PATH[proposal.status]))
    ]
    bulk(context, events, "Eventi delle proposte")


def _proposal(
    context: Context, plan: PersonPlan, target: tuple[str, int, str, int, str]
) -> tuple[Proposal, Consent | None]:
    kind, pk, title, recipient, status = target
    counsellor = plan.person["counsellor_id"]
    consent = None
    if status != "bozza":  # sending a proposal needs the person's consent
        consent = Consent(
            person_id=plan.pk,
            purpose=Consent.Purpose.PROPOSAL,
            recipient_id=recipient,
            note=title[:200],
            given_at=aware(context.today),
            recorded_by_id=counsellor,
        )
    proposal = Proposal(
        person_id=plan.pk,
        status=status,
        proposed_by_id=counsellor,
        message="Proposta dimostrativa: persona motivata, disponibile da subito.",
        hours_done=HOURS_DONE.get(status, 0),
        **{f"{kind}_id": pk},
    )
    return proposal, consent


# --------------------------------------------------------------------------------------------
# Entry point.
# --------------------------------------------------------------------------------------------


def check_ready() -> None:
    """Raise DemoDataError when load_municipalities or load_framework has not run."""
    if not Municipality.objects.exists():
        raise DemoDataError(NO_MUNICIPALITIES)
    if framework_default() is None:
        raise DemoDataError(NO_FRAMEWORK)


def seed_demo(options: SeedOptions, progress: Progress = no_progress) -> SeedSummary:
    """Create the demo data in one transaction.

    Raises DemoDataError if the database is not ready, or already holds demo data and
    options.reset is false (with reset, the old demo data is deleted first).
    """
    started = time.monotonic()
    check_ready()
    with transaction.atomic():
        deleted = 0
        if demo_data_exists():
            if not options.reset:
                raise DemoDataError(DEMO_EXISTS)
            deleted = demo_data_delete()
        context = load_context(options.seed, options.today)
        _populate(context, options, progress)
    return SeedSummary(context.counts, deleted, time.monotonic() - started)


def _populate(context: Context, options: SeedOptions, progress: Progress) -> None:
    create_services(context)
    create_institutes(context)
    employers = create_employers(context, scaled(options.offers, 20, 5, 5000))
    providers = create_providers(context, scaled(options.course_count, 25, 3, 2000))
    hosts = create_host_bodies(context, scaled(options.placement_count, 25, 3, 2000))
    create_users(context, options.people, employers[0].organisation, hosts[0].organisation)
    courses, placements = options.course_count, options.placement_count
    steps: list[tuple[str, int, Iterator[Any], Callable[[Context, list[Any]], None]]] = [
        ("Persone", options.people, iter_people(context, options.people), save_people),
        ("Offerte", options.offers, iter_offers(context, employers, options.offers), save_offers),
        ("Corsi", courses, iter_courses(context, providers, courses), save_courses),
        ("Posti MAP/LPU", placements, iter_placements(context, hosts, placements), save_placements),
    ]
    for label, total, rows, save in steps:
        bar = progress(label, total)
        for batch in batched(rows):
            save(context, batch)
            bar.update(len(batch))
        bar.close()
    if context.dashboard:
        link_beneficiary(context)
        create_proposals(context, employers[0], hosts[0])
    demo_idvcc.populate(context)  # assessor, certifying body, validated and certified skills


from lavoro import demo_idvcc  # noqa: E402  (it builds on this module: imported last)
