from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tiketti.accounts.models import Organisation, Team, User
from tiketti.contracts.quotes import local_today
from tiketti.tickets.forms import MultipleFileField, add_question_fields
from tiketti.tickets.models import (
    Category,
    CategoryField,
    Idea,
    Impact,
    Message,
    ScopeAnswer,
    Ticket,
    Urgency,
)

from .models import Macro
from .queues import ANY, HELD, UNRESOLVED


class QueueFilterForm(forms.Form):
    """The queue's filters; every field optional, unknown values are errors shown inline."""

    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.all(), required=False, empty_label=_("any")
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), required=False, empty_label=_("any")
    )
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[(ANY, _("any")), *Ticket.Priority.choices]
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
    # Set when the text came from a macro: sending it applies what the macro sets.
    applied_macro = forms.ModelChoiceField(
        queryset=Macro.objects.active(), required=False, widget=forms.HiddenInput
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    # The last message the page showed: a customer message after it asks the agent first.
    seen_message = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PropertiesForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Ticket.Status.choices)
    priority = forms.ChoiceField(label=_("Priority"), choices=Ticket.Priority.choices)
    impact = forms.ChoiceField(
        label=_("Impact"), choices=[("", _("not told")), *Impact.choices], required=False
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=[("", _("not told")), *Urgency.choices], required=False
    )
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


class MergeForm(forms.Form):
    into = forms.CharField(
        label=_("Merge into ticket"),
        max_length=20,
        help_text=_("Its number, e.g. TK-1002. This ticket is closed; its messages move there."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "merge_%s")
        super().__init__(*args, **kwargs)


class SplitForm(forms.Form):
    messages = forms.TypedMultipleChoiceField(
        label=_("Messages that move to the new ticket"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    subject = forms.CharField(label=_("Subject of the new ticket"), max_length=250, required=False)

    def __init__(self, *args: Any, thread: Sequence[Message] = (), **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "split_%s")
        super().__init__(*args, **kwargs)
        field = self.fields["messages"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [
            (message.pk, _message_label(position, message))
            for position, message in enumerate(thread, start=1)
        ]


def _message_label(position: int, message: Message) -> str:
    """ "2. Maija Virtanen, 4.12.2026 20.05": the thread above shows the text (a page that
    repeated it would show a customer's words twice)."""
    when = formats.date_format(timezone.localtime(message.created_at), "SHORT_DATETIME_FORMAT")
    return f"{position}. {message.author.get_full_name()}, {when}"


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


QUOTE_VALID_DAYS = 14


def editable_questions(ticket: Ticket) -> list[CategoryField]:
    """The questions staff answer on the ticket page (files come with messages)."""
    if ticket.category is None:
        return []
    return [f for f in ticket.category.form_fields.all() if f.kind != CategoryField.Kind.FILE]


class AnswersForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


def answers_form(ticket: Ticket, data: Any = None) -> AnswersForm | None:
    """The category's questions with the answers given so far; None without questions."""
    questions = editable_questions(ticket)
    if not questions:
        return None
    # Own ids: the ticket page's other forms have a version field too.
    form = AnswersForm(data, initial={"version": ticket.version}, auto_id="id_answers_%s")
    add_question_fields(form, questions, initial=ticket.field_answers, mark_required=False)
    return form


class ScopeForm(forms.Form):
    answer = forms.ModelChoiceField(
        label=_("Answer"), queryset=ScopeAnswer.objects.all(), empty_label=None
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


def scope_forms(ticket: Ticket) -> dict[str, forms.Form]:
    """The out-of-scope card: answer and close, or offer the work as paid work (the quote
    form filled in from the ticket). Empty where it has no place (closed, no answers)."""
    if ticket.is_closed or not ScopeAnswer.objects.exists():
        return {}
    valid_until = (
        local_today(ticket.organisation) + datetime.timedelta(days=QUOTE_VALID_DAYS)
        if ticket.organisation
        else None
    )
    return {
        "scope_form": ScopeForm(initial={"version": ticket.version}, auto_id="id_scope_%s"),
        "paid_work_form": QuoteForm(
            initial={
                "description": gettext("Paid work: %(subject)s") % {"subject": ticket.subject},
                "estimated_hours": 1,
                "valid_until": valid_until,
            },
            auto_id="paid_%s",
        ),
    }


NO_CHANGE = ""
NOBODY = "none"


class BulkForm(forms.Form):
    """What to change on the selected tickets; each field may stay "no change"."""

    assignee = forms.ChoiceField(label=_("Assign to"), required=False)
    status = forms.ChoiceField(
        label=_("Set status"),
        required=False,
        choices=[(NO_CHANGE, _("no change")), *Ticket.Status.choices],
    )
    category = forms.ChoiceField(label=_("Set category"), required=False)
    priority = forms.ChoiceField(
        label=_("Set priority"),
        required=False,
        choices=[(NO_CHANGE, _("no change")), *Ticket.Priority.choices],
    )
    merge_into = forms.CharField(
        label=_("Or merge them into ticket"),
        max_length=20,
        required=False,
        help_text=_("A ticket number; the selected tickets are closed, their messages move there."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The queue's filters have fields of the same names: ids of their own.
        kwargs.setdefault("auto_id", "bulk_%s")
        super().__init__(*args, **kwargs)
        assignee = self.fields["assignee"]
        category = self.fields["category"]
        assert isinstance(assignee, forms.ChoiceField)
        assert isinstance(category, forms.ChoiceField)
        assignee.choices = [
            (NO_CHANGE, _("no change")),
            (NOBODY, _("nobody")),
            *[(str(u.pk), str(u)) for u in User.objects.staff_members()],
        ]
        category.choices = [
            (NO_CHANGE, _("no change")),
            (NOBODY, _("no category")),
            *[(str(c.pk), c.name) for c in Category.objects.all()],
        ]


class SaveViewForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "view_%s")
        super().__init__(*args, **kwargs)

    name = forms.CharField(label=_("Name of the view"), max_length=100, required=False)
    shared = forms.BooleanField(label=_("Share with every agent"), required=False)
    name_en = forms.CharField(label=_("name (English)"), max_length=100, required=False)
    name_fi = forms.CharField(label=_("name (Finnish)"), max_length=100, required=False)
    name_pl = forms.CharField(label=_("name (Polish)"), max_length=100, required=False)
    filters = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        names = [data.get(key, "").strip() for key in ("name", "name_en", "name_fi", "name_pl")]
        if not any(names):
            raise forms.ValidationError(_("Give the view a name."))
        return data


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
