"""Index the tickets that existed before the desk's full-text search.

Uses `tiketti.fulltext`, the pure normalisation both search indexes share (no models), so
old tickets are indexed exactly as new ones are."""

from django.db import migrations

from tiketti.fulltext import index_text, language_or_default


def index_tickets(apps, schema_editor):
    Ticket = apps.get_model("tickets", "Ticket")
    Message = apps.get_model("tickets", "Message")
    Document = apps.get_model("tickets", "TicketSearchDocument")
    tickets = Ticket.objects.values_list("pk", "subject", "requester__language")
    for start in range(0, tickets.count(), 500):
        batch = list(tickets.order_by("pk")[start : start + 500])
        texts = {pk: [subject] for pk, subject, _ in batch}
        for ticket_id, body in Message.objects.filter(ticket_id__in=texts).values_list(
            "ticket_id", "body_text"
        ):
            texts[ticket_id].append(body)
        documents = []
        for pk, _, language in batch:
            code = language_or_default(language)
            terms = " ".join(index_text(text, code).text for text in texts[pk])
            documents.append(Document(ticket_id=pk, terms=" ".join(terms.split())))
        Document.objects.bulk_create(documents)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0009_ticket_search")]

    operations = [migrations.RunPython(index_tickets, migrations.RunPython.noop)]
