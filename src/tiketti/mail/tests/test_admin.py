from django.urls import reverse

from tiketti.accounts.tests.factories import UserFactory
from tiketti.mail import inbound
from tiketti.mail.models import InboundMessage


def test_received_mail_is_read_in_the_admin_never_added_or_deleted(client, db):
    client.force_login(UserFactory(admin=True))
    row, _ = inbound.store_raw(b"From: a@b.example\r\nSubject: Hi\r\n\r\nHello\r\n", via="pipe")
    change = reverse("admin:mail_inboundmessage_change", args=[row.pk])
    assert client.get(change).status_code == 200
    assert client.get(reverse("admin:mail_inboundmessage_add")).status_code == 403
    assert client.post(reverse("admin:mail_inboundmessage_add"), {}).status_code == 403
    delete = reverse("admin:mail_inboundmessage_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert InboundMessage.objects.filter(pk=row.pk).exists()
