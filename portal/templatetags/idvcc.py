"""Template helpers that show an IDVCC stage the same way everywhere: its label, its plain
Italian explanation, and a legend of the three stages (competenze.stages)."""

from django import template

from competenze import stages

register = template.Library()


@register.filter(name="stage_label")
def stage_label_filter(stage: str) -> str:
    return stages.stage_label(stage)


@register.filter(name="stage_help")
def stage_help_filter(stage: str) -> str:
    return stages.stage_explanation(stage)


@register.inclusion_tag("competenze/idvcc/_stage_legend.html")
def stage_legend() -> dict[str, object]:
    codes = list(stages.STAGE_EXPLANATIONS)
    legend = stages.stage_legend()
    return {
        "stages": [(code, label, text) for code, (label, text) in zip(codes, legend, strict=True)]
    }
