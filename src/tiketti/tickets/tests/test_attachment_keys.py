"""Attachment URLs name a random key, never the sequential id; old id URLs are gone."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from tiketti.api.models import ApiToken
from tiketti.tickets.attachments import IncomingFile
from tiketti.tickets.intake import IntakeRequest, submit_request
from tiketti.tickets.models import Attachment


def file_with_attachment(requester, name="virhe.txt", content=b"trace"):
    return submit_request(
        IntakeRequest(
            channel="portal",
            requester=requester,
            subject="Kassa ei toimi",
            body_text="Liitteenä loki.",
            files=[IncomingFile(name, content)],
        )
    ).ticket


def test_portal_desk_and_api_link_attachments_by_key_not_id(client, main_user, agent):
    ticket = file_with_attachment(main_user)
    attachment = ticket.attachments.get()
    expected = f"/attachments/{attachment.key}/virhe.txt"
    for user, page in ((main_user, "portal:ticket-detail"), (agent, "desk:ticket-detail")):
        client.force_login(user)
        html = client.get(reverse(page, args=[ticket.number])).content.decode()
        assert f'href="{expected}"' in html
        assert f"/attachments/{attachment.pk}/" not in html
    _, token = ApiToken.issue(main_user)
    detail = client.get(
        f"/api/v1/tickets/{ticket.number}", headers={"Authorization": f"Bearer {token}"}
    ).json()
    url = detail["messages"][0]["attachments"][0]["url"]
    assert url.endswith(f"/api/v1/attachments/{attachment.key}/virhe.txt")


def test_old_id_urls_answer_404_on_pages_and_api(client, main_user):
    attachment = file_with_attachment(main_user).attachments.get()
    client.force_login(main_user)
    assert client.get(f"/attachments/{attachment.pk}/virhe.txt").status_code == 404
    _, token = ApiToken.issue(main_user)
    old = client.get(
        f"/api/v1/attachments/{attachment.pk}/virhe.txt",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert (old.status_code, old.json()["code"]) == (404, "not_found")
    current = client.get(f"/attachments/{attachment.key}/virhe.txt")
    assert current.status_code == 200
    assert b"".join(current.streaming_content) == b"trace"
    current.close()  # last: closing ends the request, and with it the test's connection


def test_a_key_of_an_attachment_someone_may_not_see_is_a_404(client, main_user, stranger):
    attachment = file_with_attachment(main_user).attachments.get()
    client.force_login(stranger)
    assert client.get(f"/attachments/{attachment.key}/virhe.txt").status_code == 404


def test_every_attachment_gets_its_own_key(main_user):
    keys = {
        file_with_attachment(main_user, content=bytes([n])).attachments.get().key for n in range(5)
    }
    assert len(keys) == 5


@pytest.mark.django_db(transaction=True)
def test_the_data_migration_gives_existing_attachments_distinct_keys(main_user):
    for n in range(3):
        file_with_attachment(main_user, content=bytes([n]))
    executor = MigrationExecutor(connection)
    executor.migrate([("tickets", "0013_attachment_key")])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE tickets_attachment SET key = NULL")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    keys = list(Attachment.objects.values_list("key", flat=True))
    assert len(keys) == 3 and None not in keys and len(set(keys)) == 3
