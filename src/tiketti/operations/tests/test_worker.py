import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from tests.settings import DATABASE_TASKS

from tiketti.mail.models import InboundMessage
from tiketti.mail.tests.test_inbound import make
from tiketti.tickets.intake import IntakeRequest, submit_request


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_a_worker_can_be_given_one_queue(main_user):
    """`tiketti worker --queue intake` processes inbound mail and leaves notifications to
    the other workers."""
    from tiketti.mail import inbound

    submit_request(  # queues an acknowledgement on "default"
        IntakeRequest(channel="portal", requester=main_user, subject="Hei", body_text="Apua")
    )
    row, _ = inbound.store_raw(make(subject="Sähköpostilla").as_bytes(), via="lmtp")
    inbound.queue_processing([row])

    call_command("worker", "--batch", "--interval", "0", "--queue", "intake")
    assert InboundMessage.objects.get().status == InboundMessage.Status.PROCESSED
    assert mail.outbox == []  # the acknowledgements wait for a worker of "default"

    call_command("worker", "--batch", "--interval", "0", "--queue", "default")
    assert len(mail.outbox) == 2  # the portal request's and the e-mailed one's
