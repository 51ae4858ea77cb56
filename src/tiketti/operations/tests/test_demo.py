import pytest
from django.core.management import call_command

from tiketti.accounts.models import Organisation, User
from tiketti.desk.macros import unknown_placeholders
from tiketti.desk.models import Macro, SavedView
from tiketti.mail.models import OutgoingEmail
from tiketti.operations.demo import load_demo_data
from tiketti.operations.periodic import SCHEDULES, claim_due_jobs
from tiketti.status.models import Incident
from tiketti.tickets.models import Ticket


@pytest.mark.django_db(transaction=True)  # commit for real: signals fire on commit
def test_demo_data_loads_every_state_in_three_languages_and_reruns_safely(capsys):
    call_command("demo-data")
    call_command("demo-data")
    output = capsys.readouterr().out
    assert "Demo data is already loaded." in output
    assert "agent@tiketti.example" in output
    assert set(Ticket.objects.values_list("status", flat=True)) == set(Ticket.Status.values)
    assert set(User.objects.values_list("language", flat=True)) == {"fi", "pl", "en"}
    assert Organisation.objects.count() == 4
    assert User.objects.filter(customer_role="main_user", organisation__isnull=False).count() == 4
    assert not OutgoingEmail.objects.exists()  # history must not mail anyone
    assert list(Incident.objects.values_list("state", flat=True)) == ["identified", "resolved"]


def test_each_periodic_job_is_claimed_once_per_period(db):
    first = claim_due_jobs()
    second = claim_due_jobs()
    assert first == [s.name for s in SCHEDULES]
    assert second == []


def test_every_static_file_the_pages_use_is_collected():
    from django.contrib.staticfiles import finders

    for path in ("tiketti/app.css", "desk/desk.js", "django_htmx/htmx-2.min.js"):
        assert finders.find(path) is not None, path


@pytest.mark.django_db
def test_demo_has_macros_in_every_language_and_a_shared_view():
    assert load_demo_data()
    macros = list(Macro.objects.all())
    assert macros
    for macro in macros:
        for text in (macro.body_en, macro.body_fi, macro.body_pl):
            assert text and not unknown_placeholders(text)
    assert Macro.objects.get(name="Password help").articles.count() == 2
    assert SavedView.objects.get(owner__isnull=True).localized_name("fi") == "Kiireelliset"
