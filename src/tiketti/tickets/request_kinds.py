"""Request kinds: categories with their request-form questions, out-of-scope answers,
impact and urgency (re-exported by `tickets.models`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tiketti.accounts.models import Team


class Category(models.Model):
    """What a request is about; decides the team it is routed to."""

    slug = models.SlugField(_("code"), max_length=50, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_fi = models.CharField(_("name (Finnish)"), max_length=100, blank=True)
    name_pl = models.CharField(_("name (Polish)"), max_length=100, blank=True)
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.SET_NULL, null=True, blank=True
    )
    is_active = models.BooleanField(_("offered to customers"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    help_en = models.TextField(_("help text (English)"), blank=True)
    help_fi = models.TextField(_("help text (Finnish)"), blank=True)
    help_pl = models.TextField(_("help text (Polish)"), blank=True)
    # Requests of this kind are outside the support contract (MISSION R11): they are
    # answered with `scope_answer` and closed at once.
    is_out_of_scope = models.BooleanField(_("out of scope"), default=False)
    scope_answer = models.ForeignKey(
        "tickets.ScopeAnswer",
        verbose_name=_("out-of-scope answer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Handling(models.TextChoices):
        NORMAL = "normal", _("a normal support request")
        IDEA = "idea", _("a development idea (goes to the idea list)")
        ADMINISTRATIVE = (
            "administrative",
            _("an administrative matter (goes to the organisation's account manager)"),
        )

    handling = models.CharField(
        _("handling"), max_length=20, choices=Handling.choices, default=Handling.NORMAL
    )

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language, English when it has no translation."""
        localized = getattr(self, f"name_{translation.get_language() or 'en'}", "")
        return str(localized or self.name_en)

    @property
    def help_text(self) -> str:
        return in_language(self, "help", translation.get_language())

    def clean(self) -> None:
        if self.is_out_of_scope and self.scope_answer_id is None:
            raise ValidationError(
                {"scope_answer": _("Choose the answer that requests of this kind get.")}
            )


def in_language(item: object, prefix: str, language: str | None) -> str:
    """`item.<prefix>_<language>`, English when that is empty (fi/pl/en columns)."""
    localized = getattr(item, f"{prefix}_{language or 'en'}", "") or ""
    return str(localized or getattr(item, f"{prefix}_en", ""))


class ScopeAnswer(models.Model):
    """An admin-written answer to a request outside the support contract (template look,
    data operations, the customer's own end-customers or computers, new features)."""

    title_en = models.CharField(_("title (English)"), max_length=150)
    title_fi = models.CharField(_("title (Finnish)"), max_length=150, blank=True)
    title_pl = models.CharField(_("title (Polish)"), max_length=150, blank=True)
    text_en = models.TextField(_("answer (English)"))
    text_fi = models.TextField(_("answer (Finnish)"), blank=True)
    text_pl = models.TextField(_("answer (Polish)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("out-of-scope answer")
        verbose_name_plural = _("out-of-scope answers")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_language(self, "title", translation.get_language())

    def text_for(self, language: str) -> str:
        """The answer in `language` (a requester's), English when it has no translation."""
        return in_language(self, "text", language)


class CategoryField(models.Model):
    """One question on a category's request form. Answers are stored on the ticket under
    `name` (`Ticket.field_answers`) and validated by the intake service."""

    class Kind(models.TextChoices):
        TEXT = "text", _("text")
        LONG_TEXT = "long_text", _("long text")
        CHOICE = "choice", _("choice")
        MULTI_CHOICE = "multi_choice", _("multiple choice")
        URL = "url", _("web address")
        NUMBER = "number", _("number")
        DATE = "date", _("date")
        FILE = "file", _("file")

    class Prefill(models.TextChoices):
        NONE = "", _("nothing")
        OPERATING_SYSTEM = "operating_system", _("operating system (from the browser)")
        BROWSER = "browser", _("browser (from the browser)")

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="form_fields"
    )
    name = models.SlugField(
        _("code"), max_length=50, help_text=_("The key the answer is stored and sent under.")
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.TEXT)
    is_required = models.BooleanField(_("required"), default=False)
    label_en = models.CharField(_("question (English)"), max_length=200)
    label_fi = models.CharField(_("question (Finnish)"), max_length=200, blank=True)
    label_pl = models.CharField(_("question (Polish)"), max_length=200, blank=True)
    help_en = models.CharField(_("help text (English)"), max_length=300, blank=True)
    help_fi = models.CharField(_("help text (Finnish)"), max_length=300, blank=True)
    help_pl = models.CharField(_("help text (Polish)"), max_length=300, blank=True)
    choices = models.TextField(
        _("choices"),
        blank=True,
        help_text=_(
            "For choice fields, one a line: code | English | Finnish | Polish, "
            "e.g. “windows | Windows | Windows | Windows”."
        ),
    )
    prefill = models.CharField(
        _("pre-fill with"), max_length=20, choices=Prefill.choices, blank=True
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("request-form field")
        verbose_name_plural = _("request-form fields")
        constraints = [
            models.UniqueConstraint(fields=["category", "name"], name="category_field_once")
        ]

    def __str__(self) -> str:
        return f"{self.category.slug}.{self.name}"

    @property
    def label(self) -> str:
        return in_language(self, "label", translation.get_language())

    @property
    def help_text(self) -> str:
        return in_language(self, "help", translation.get_language())

    @property
    def has_choices(self) -> bool:
        return self.kind in (self.Kind.CHOICE, self.Kind.MULTI_CHOICE)

    def parsed_choices(self) -> list[FieldChoice]:
        """The choices as written (`code | English | Finnish | Polish` a line)."""
        parsed = []
        for line in self.choices.splitlines():
            parts = [part.strip() for part in line.split("|")]
            if not parts[0]:
                continue
            en, fi, pl = [*parts[1:], "", "", ""][:3]
            parsed.append(FieldChoice(parts[0], en or parts[0], fi, pl))
        return parsed

    def clean(self) -> None:
        if self.has_choices and not self.parsed_choices():
            raise ValidationError({"choices": _("Give at least one choice.")})
        values = [choice.value for choice in self.parsed_choices()]
        if len(values) != len(set(values)):
            raise ValidationError({"choices": _("Each choice needs a code of its own.")})


@dataclass(frozen=True)
class FieldChoice:
    value: str
    label_en: str
    label_fi: str = ""
    label_pl: str = ""

    @property
    def label(self) -> str:
        return in_language(self, "label", translation.get_language())

    def labels(self) -> dict[str, str]:
        return {language: in_language(self, "label", language) for language in LANGUAGES}


LANGUAGES = ("en", "fi", "pl")


class Impact(models.TextChoices):
    """How much of the customer's use a problem blocks, in their words."""

    BLOCKS_ALL = "blocks_all", _("I cannot use the system at all")
    BLOCKS_PART = "blocks_part", _("Part of the system does not work")
    NO_BLOCK = "no_block", _("I can work normally")


class Urgency(models.TextChoices):
    """How soon the customer needs it, in their words."""

    HIGH = "high", _("Right away: it is stopping work now")
    MEDIUM = "medium", _("Within a few days")
    LOW = "low", _("There is no hurry")
