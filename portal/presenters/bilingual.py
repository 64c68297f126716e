"""The interview side by side: Italian for the counsellor, the person's language beside it.

The texts come from the template's translation files (competenze/data/interviews/
translations); a person without a language, or whose language has no file for the
template's version, gets the Italian screen alone.
"""

from typing import Any

from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language_info

from competenze.services.interview_templates import Question, TemplateTranslation


def language_direction(language: str) -> str:
    try:
        return "rtl" if get_language_info(language)["bidi"] else "ltr"
    except KeyError:
        return "auto"


def language_name(language: str) -> str:
    """The language's name in Italian, for the counsellor («arabo»)."""
    label = dict(settings.LANGUAGES).get(language)
    return str(label).lower() if label else language


def labelled(italian: str, other: str, language: str) -> SafeString:
    """A choice's Italian label and, beside it, the person's label in their script."""
    if not other:
        return format_html("{}", italian)
    return format_html(
        '{} <span class="translation" lang="{}" dir="{}">{}</span>',
        italian,
        language,
        language_direction(language),
        other,
    )


def question_beside(
    question: Question, section_id: str, translation: TemplateTranslation | None
) -> dict[str, Any] | None:
    """The question's texts in the person's language, for interview.html; None if none."""
    if translation is None:
        return None
    text = translation.question_text(question.id)
    if not text:
        return None
    language = translation.language
    return {
        "language": language,
        "dir": language_direction(language),
        "name": language_name(language),
        "text": text,
        "section_title": translation.section_title(section_id),
    }
