"""The desk's own things: saved queue views and macros (canned replies)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from tiketti.accounts.models import User
from tiketti.knowledge.models import Article
from tiketti.localized_names import LocalizedName
from tiketti.tickets.models import Category, Ticket


class SavedView(LocalizedName):
    """A queue filter saved under a name: personal (its owner's) or shared (no owner;
    named in each language by a team lead or admin)."""

    name = models.CharField(_("name"), max_length=100)
    owner = models.ForeignKey(
        User,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="saved_views",
        help_text=_("Empty: the view is shared with every agent."),
    )
    # The queue's query parameters (`desk.queues.FILTER_NAMES`), as the address bar has them.
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["position", "name", "pk"]
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")

    @property
    def is_shared(self) -> bool:
        return self.owner_id is None


class MacroQuerySet(models.QuerySet["Macro"]):
    def active(self) -> MacroQuerySet:
        return self.filter(is_active=True)


class Macro(LocalizedName):
    """A canned reply in each language, with placeholders, that may also set the
    ticket's status, category and priority (`desk.macros`)."""

    name = models.CharField(_("name"), max_length=100)
    body_en = models.TextField(_("text (English)"))
    body_fi = models.TextField(_("text (Finnish)"), blank=True)
    body_pl = models.TextField(_("text (Polish)"), blank=True)
    status = models.CharField(
        _("then set status to"), max_length=20, choices=Ticket.Status.choices, blank=True
    )
    priority = models.CharField(
        _("set priority to"), max_length=10, choices=Ticket.Priority.choices, blank=True
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("set category to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    articles = models.ManyToManyField(
        Article,
        verbose_name=_("help-center articles"),
        blank=True,
        related_name="+",
        help_text=_("Linked in the text where it says {articles}, in the requester's language."),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = MacroQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("macro")
        verbose_name_plural = _("macros")

    def body_for(self, language: str) -> str:
        """The text in `language`, English when it has none."""
        code = (language or translation.get_language() or "en").split("-")[0]
        return str(getattr(self, f"body_{code}", "") or self.body_en)
