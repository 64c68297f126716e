"""The IDVCC stages in plain Italian: one label and one explanation per stage, used wherever
a stage is shown (pages for every role, documents, the employer's candidate view)."""

from django.utils.translation import gettext_lazy as _

from competenze.models import SkillEntry, StageRecord

Stage = SkillEntry.Stage

STAGE_EXPLANATIONS = {
    Stage.IDENTIFIED.value: _(
        "riconosciuta con la persona da un operatore, a partire dalle esperienze raccontate; "
        "non ancora verificata da altri."
    ),
    Stage.VALIDATED.value: _(
        "verificata da un valutatore indipendente su prove concrete: attestati, dichiarazioni "
        "di datori, lavori svolti, osservazione sul lavoro o prova pratica."
    ),
    Stage.CERTIFIED.value: _(
        "attestata da un ente titolato con un certificato che ne riporta numero, data e "
        "standard di riferimento."
    ),
}
METHOD_EXPLANATIONS = {
    StageRecord.Method.DOCUMENTARY.value: _("il valutatore ha esaminato documenti e prodotti"),
    StageRecord.Method.OBSERVATION.value: _("il valutatore ha osservato la persona al lavoro"),
    StageRecord.Method.PRACTICAL_TEST.value: _("la persona ha svolto una prova pratica"),
    StageRecord.Method.TECHNICAL_INTERVIEW.value: _(
        "il valutatore ha verificato le conoscenze con un colloquio tecnico"
    ),
}


def stage_label(stage: str) -> str:
    try:
        return str(Stage(stage).label)
    except ValueError:
        return stage


def stage_explanation(stage: str) -> str:
    return str(STAGE_EXPLANATIONS.get(stage, ""))


def stage_legend() -> list[tuple[str, str]]:
    """(label, explanation) of each stage, in order: the legend pages and documents show."""
    return [(stage_label(stage), str(text)) for stage, text in STAGE_EXPLANATIONS.items()]
