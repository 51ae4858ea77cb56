import csv
import datetime
import io
from datetime import UTC
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from tiketti.api.models import ApiToken
from tiketti.contracts.billing import (
    CSV_COLUMNS,
    billed_organisations,
    billing_lines,
    parse_month,
    to_csv,
    total_amount,
)
from tiketti.contracts.models import PriorityCharge, Quote, TimeEntry
from tiketti.tickets.intake import IntakeRequest, submit_request

from .conftest import give_contract

NOVEMBER = datetime.date(2026, 11, 1)
HELSINKI_WINTER = datetime.timezone(datetime.timedelta(hours=2))


def local(year, month, day, hour, minute):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=HELSINKI_WINTER)


@pytest.fixture
def customer(organisation, plan):
    """Aurora on the test plan (85.00 an hour) since October, in Helsinki."""
    give_contract(organisation, plan, datetime.date(2026, 10, 1))
    organisation.language = "en"
    organisation.save()
    return organisation


@pytest.fixture
def ticket(customer, main_user):
    return submit_request(
        IntakeRequest(channel="portal", requester=main_user, subject="Help", body_text="Hi")
    ).ticket


@pytest.fixture
def log(ticket, agent):
    def log(worked_at, minutes, extra=0, **fields):
        return TimeEntry.objects.create(
            ticket=ticket,
            organisation=ticket.organisation,
            agent=agent,
            minutes=minutes,
            extra_minutes=extra,
            worked_at=worked_at,
            **fields,
        )

    return log


def make_quote(ticket, agent, *, status=Quote.Status.APPROVED, decided_at=None, number=1):
    return Quote.objects.create(
        ticket=ticket,
        organisation=ticket.organisation,
        reference=f"{ticket.number}-Q{number}",
        description="New report by postcode\nCSV and PDF",
        estimated_hours=Decimal("3"),
        hourly_rate=Decimal("85.00"),
        price=Decimal("255.00"),
        valid_until=datetime.date(2026, 12, 31),
        status=status,
        created_by=agent,
        decided_at=decided_at,
    )


def test_month_boundary_follows_the_organisations_local_time(customer, log):
    """23:59 on 30 November in Helsinki is November; 00:01 on 1 December is December, even
    though both are 30 November in UTC."""
    last_minute = log(local(2026, 11, 30, 23, 59), 30, note="late")
    first_minute = log(local(2026, 12, 1, 0, 1), 30, note="early")
    assert first_minute.worked_at.astimezone(UTC).month == 11
    november = billing_lines(customer, NOVEMBER)
    december = billing_lines(customer, datetime.date(2026, 12, 1))
    assert [line.reference for line in november] == [f"T{last_minute.pk}"]
    assert [line.reference for line in december] == [f"T{first_minute.pk}"]
    assert november[0].date == datetime.date(2026, 11, 30)
    assert december[0].date == datetime.date(2026, 12, 1)


def test_start_of_month_in_local_time_too(customer, log):
    log(local(2026, 10, 31, 23, 59), 10)  # October
    first = log(local(2026, 11, 1, 0, 1), 10)  # 31 October 22:01 in UTC, but November
    assert [line.reference for line in billing_lines(customer, NOVEMBER)] == [f"T{first.pk}"]


def test_included_minutes_are_listed_free_and_extra_minutes_charged_at_the_plan_rate(
    customer, log, ticket
):
    entry = log(local(2026, 11, 10, 10, 0), 90, extra=20, note="Fixed checkout")
    included, extra = billing_lines(customer, NOVEMBER)
    assert included.kind == extra.kind == "time"
    assert included.ticket == ticket.number
    assert (included.minutes, included.quantity, included.amount) == (70, Decimal("1.17"), 0)
    assert included.description == "Support within the included hours: Fixed checkout"
    assert extra.minutes == 20
    assert extra.quantity == Decimal("0.33")
    assert extra.unit_price == Decimal("85.00")
    assert extra.amount == Decimal("28.33")  # from the exact minutes, not 0.33 h
    assert extra.reference == f"T{entry.pk}"


def test_non_billable_time_is_not_billed(customer, log):
    log(local(2026, 11, 10, 10, 0), 60, is_billable=False)
    assert billing_lines(customer, NOVEMBER) == []


def test_extra_work_under_an_approved_quote_is_charged_once_as_the_quote(
    customer, log, ticket, agent
):
    quote = make_quote(ticket, agent, decided_at=local(2026, 11, 5, 12, 0))
    log(local(2026, 11, 10, 10, 0), 60, extra=60, quote=quote)
    lines = billing_lines(customer, NOVEMBER)
    quote_line = next(line for line in lines if line.kind == "quote")
    time_line = next(line for line in lines if line.kind == "time")
    assert quote_line.amount == Decimal("255.00")
    assert quote_line.quantity == Decimal("3.00")
    assert quote_line.reference == quote.reference
    assert quote_line.date == datetime.date(2026, 11, 5)
    assert quote_line.description == "Approved quote: New report by postcode"
    assert time_line.amount == 0
    assert time_line.reference == quote.reference
    assert total_amount(lines) == Decimal("255.00")


def test_only_quotes_approved_in_the_month_are_billed(customer, ticket, agent):
    make_quote(ticket, agent, decided_at=local(2026, 11, 5, 12, 0), number=1)
    make_quote(ticket, agent, decided_at=local(2026, 10, 31, 23, 0), number=2)
    make_quote(ticket, agent, status=Quote.Status.PENDING, number=3)
    make_quote(
        ticket, agent, status=Quote.Status.DECLINED, decided_at=local(2026, 11, 6, 9, 0), number=4
    )
    lines = billing_lines(customer, NOVEMBER)
    assert [line.reference for line in lines] == [f"{ticket.number}-Q1"]


def test_priority_charges_show_credits_free_and_others_at_their_price(customer, ticket, main_user):
    other = submit_request(
        IntakeRequest(channel="portal", requester=main_user, subject="Again", body_text="Hi")
    ).ticket
    PriorityCharge.objects.create(
        ticket=ticket,
        organisation=customer,
        used_credit=True,
        price=Decimal("0"),
        confirmed_by=main_user,
        created_at=local(2026, 11, 2, 9, 0),
    )
    PriorityCharge.objects.create(
        ticket=other,
        organisation=customer,
        used_credit=False,
        price=Decimal("49.00"),
        confirmed_by=main_user,
        created_at=local(2026, 11, 3, 9, 0),
    )
    credit, paid = billing_lines(customer, NOVEMBER)
    assert (credit.kind, credit.amount, credit.unit) == ("priority", Decimal("0.00"), "pcs")
    assert credit.description == "Priority ticket (included credit)"
    assert (paid.ticket, paid.amount) == (other.number, Decimal("49.00"))


def test_descriptions_are_in_the_organisations_language(customer, log):
    customer.language = "fi"
    customer.save()
    log(local(2026, 11, 10, 10, 0), 30)
    [line] = billing_lines(customer, NOVEMBER)
    assert line.description  # translated or not, never empty


def test_csv_has_a_stable_header_iso_dates_and_decimal_points(customer, log, ticket):
    entry = log(local(2026, 11, 10, 10, 0), 90, extra=20, note='Comma, and "quotes"')
    text = to_csv(billing_lines(customer, NOVEMBER))
    assert text.splitlines()[0] == (
        "kind,date,ticket,description,minutes,quantity,unit,unit_price,amount,reference"
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[1] == {
        "kind": "time",
        "date": "2026-11-10",
        "ticket": ticket.number,
        "description": 'Extra work beyond the included hours: Comma, and "quotes"',
        "minutes": "20",
        "quantity": "0.33",
        "unit": "h",
        "unit_price": "85.00",
        "amount": "28.33",
        "reference": f"T{entry.pk}",
    }
    assert rows[0]["amount"] == "0.00"


def test_empty_month_is_just_the_header():
    assert to_csv([]) == ",".join(CSV_COLUMNS) + "\r\n"


@pytest.mark.parametrize("text", ["2026-13", "2026-1", "november", "2026-11-01", ""])
def test_months_are_written_yyyy_mm(text):
    with pytest.raises(ValueError, match="not a month"):
        parse_month(text)


def test_exported_organisations_are_those_with_a_contract_in_the_month(customer, stranger, plan):
    gone = stranger.organisation
    give_contract(gone, plan, datetime.date(2025, 1, 1), ends_on=datetime.date(2026, 10, 31))
    assert billed_organisations(NOVEMBER) == [customer]
    assert gone in billed_organisations(datetime.date(2026, 10, 1))


# --- API -----------------------------------------------------------------------------------


@pytest.fixture
def api_get(client):
    def get(path, user=None):
        headers = {}
        if user is not None:
            _, token = ApiToken.issue(user)
            headers["Authorization"] = f"Bearer {token}"
        return client.get(f"/api/v1/billing{path}", headers=headers)

    return get


def test_staff_read_a_months_billing_as_json(api_get, agent, customer, log, ticket):
    log(local(2026, 11, 30, 23, 59), 90, extra=30)
    response = api_get(f"/{customer.pk}/2026-11", agent)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["organisation"] == "Aurora Oy"
    assert body["month"] == "2026-11"
    assert body["time_zone"] == "Europe/Helsinki"
    assert body["total"] == "42.50"
    assert [line["amount"] for line in body["lines"]] == ["0.00", "42.50"]
    assert body["lines"][1]["date"] == "2026-11-30"
    assert body["lines"][1]["ticket"] == ticket.number
    assert body["lines"][1]["minutes"] == 30


def test_customers_cannot_read_billing(api_get, main_user, customer):
    response = api_get(f"/{customer.pk}/2026-11", main_user)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_billing_needs_a_token(api_get, customer):
    response = api_get(f"/{customer.pk}/2026-11")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


@pytest.mark.parametrize("month", ["2026-13", "nov", "2026-1"])
def test_a_bad_month_is_a_422(api_get, agent, customer, month):
    response = api_get(f"/{customer.pk}/{month}", agent)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["detail"][0]["loc"] == ["path", "month"]


def test_an_unknown_organisation_is_a_404(api_get, agent, db):
    response = api_get("/999999/2026-11", agent)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


# --- command -------------------------------------------------------------------------------


def test_export_of_one_organisation_goes_to_stdout(customer, log, capsys):
    log(local(2026, 11, 10, 10, 0), 30)
    call_command("billing", "export", "--month", "2026-11", "--organisation", "aurora oy")
    output = capsys.readouterr().out
    assert output.startswith(",".join(CSV_COLUMNS) + "\r\n")
    assert ",2026-11-10," in output


def test_export_writes_one_file_per_organisation(customer, stranger, plan, log, tmp_path, capsys):
    give_contract(stranger.organisation, plan, datetime.date(2026, 1, 1))
    log(local(2026, 11, 10, 10, 0), 30)
    call_command("billing", "export", "--month", "2026-11", "--out", str(tmp_path / "out"))
    printed = capsys.readouterr().out.split()
    files = sorted((tmp_path / "out").iterdir())
    assert sorted(printed) == [str(path) for path in files]
    assert [path.name for path in files] == [
        f"billing-2026-11-{customer.pk}-aurora-oy.csv",
        f"billing-2026-11-{stranger.organisation.pk}-bursztyn.csv",
    ]
    aurora = files[0].read_text(encoding="utf-8")
    assert len(aurora.splitlines()) == 2


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--month", "11/2026"], "not a month"),
        (["--month", "2026-11", "--organisation", "Nobody"], "no organisation"),
    ],
)
def test_export_explains_bad_arguments(db, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("billing", "export", *arguments)
