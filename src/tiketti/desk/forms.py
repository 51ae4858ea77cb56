from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tiketti.accounts.models import Organisation, Team, User
from tiketti.tickets.forms import MultipleFileField
from tiketti.tickets.models import Category, Idea, Ticket

UNRESOLVED = "unresolved"
HELD = "held"
ANY = ""


class QueueFilterForm(forms.Form):
    """The queue's filters; every field optional, unknown values are errors shown inline."""

    q = forms.CharField(label=_("Number or subject"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.all(), required=False, empty_label=_("any")
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), required=False, empty_label=_("any")
    )
    sla = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[
            (ANY, _("any")),
            ("soon", _("due soon or overdue")),
            ("overdue", _("overdue")),
        ],
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        required=False,
        empty_label=_("any"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status_field = self.fields["status"]
        assignee_field = self.fields["assignee"]
        assert isinstance(status_field, forms.ChoiceField)
        assert isinstance(assignee_field, forms.ChoiceField)
        status_field.choices = [
            (UNRESOLVED, _("not solved")),
            (HELD, _("held: waiting for acceptance")),
            (ANY, _("any")),
            *Ticket.Status.choices,
        ]
        assignee_field.choices = [
            (ANY, _("anyone")),
            ("me", _("me")),
            ("none", _("nobody")),
            *[(str(u.pk), str(u)) for u in User.objects.staff_members()],
        ]


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 6}))
    is_internal = forms.TypedChoiceField(
        label=_("Kind"),
        choices=[("0", _("Public reply to the customer")), ("1", _("Internal note for staff"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="0",
    )
    status = forms.ChoiceField(
        label=_("Then set status to"),
        choices=[("", _("keep / default")), *Ticket.Status.choices],
        required=False,
    )
    attachments = MultipleFileField()
    version = forms.IntegerField(widget=forms.HiddenInput)


class PropertiesForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Ticket.Status.choices)
    priority = forms.ChoiceField(label=_("Priority"), choices=Ticket.Priority.choices)
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        required=False,
        empty_label=_("no category"),
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.all(), required=False, empty_label=_("no team")
    )
    assignee = forms.ModelChoiceField(
        label=_("Assignee"),
        queryset=User.objects.staff_members(),
        required=False,
        empty_label=_("nobody"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class AcceptHeldForm(forms.Form):
    on_behalf_of = forms.ModelChoiceField(
        label=_("On behalf of main user"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("(nobody: accept as it is)"),
    )

    def __init__(self, *args: Any, organisation_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["on_behalf_of"]
        assert isinstance(field, forms.ModelChoiceField)
        if organisation_id is not None:
            field.queryset = User.objects.main_users_of(organisation_id)


class TimeEntryForm(forms.Form):
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=720)
    note = forms.CharField(label=_("What was done"), max_length=300, required=False)
    is_billable = forms.BooleanField(label=_("Billable"), required=False, initial=True)


class QuoteForm(forms.Form):
    description = forms.CharField(
        label=_("Work to be done"), widget=forms.Textarea(attrs={"rows": 3})
    )
    estimated_hours = forms.DecimalField(
        label=_("Estimated hours"), min_value=Decimal("0.25"), max_value=1000, decimal_places=2
    )
    valid_until = forms.DateField(
        label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"})
    )


class IdeaStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Idea.Status.choices)


class IdeaChoiceField(forms.ModelChoiceField[Idea]):
    def label_from_instance(self, obj: Idea) -> str:
        return f"#{obj.pk} {obj.title}"


class MakeIdeaForm(forms.Form):
    idea = IdeaChoiceField(
        label=_("Development idea"),
        queryset=Idea.objects.exclude(status__in=[Idea.Status.DONE, Idea.Status.DECLINED]),
        required=False,
        empty_label=_("A new idea (from this ticket)"),
        help_text=_(
            "Link to an idea already on the list: this customer's organisation votes for it."
        ),
    )
