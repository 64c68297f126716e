"""Template helpers that show an IDVCC stage the same way everywhere: its label, its plain
Italian explanation, and a legend of the three stages (competenze.stages)."""

from django import template

from competenze.stages import STAGE_EXPLANATIONS, stage_explanation, stage_label

register = template.Library()


@register.filter(name="stage_label")
def stage_label_filter(stage: str) -> str:
    return stage_label(stage)


@register.filter(name="stage_help")
def stage_help_filter(stage: str) -> str:
    return stage_explanation(stage)


@register.inclusion_tag("competenze/idvcc/_stage_legend.html")
def stage_legend() -> dict[str, object]:
    stages = [(stage, stage_label(stage), text) for stage, text in STAGE_EXPLANATIONS.items()]
    return {"stages": stages}
