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


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_groups_stored_while_an_intake_task_waits_share_it(main_user):
    """Three LMTP groups stored before any worker ran queue one task, which processes
    them all, oldest first; a group stored once no task waits queues a new one."""
    from django_tasks_db.models import DBTaskResult

    from tiketti.mail import inbound
    from tiketti.mail.tasks import INTAKE_QUEUE
    from tiketti.operations.worker import task_worker
    from tiketti.tickets.models import Ticket

    def store_group(group):
        raws = [make(subject=f"Ryhmä {group}/{n}").as_bytes() for n in range(2)]
        inbound.queue_processing([row for row, _ in inbound.store_many(raws, via="lmtp")])

    intake_tasks = DBTaskResult.objects.filter(queue_name=INTAKE_QUEUE)
    for group in range(3):
        store_group(group)
    assert intake_tasks.count() == 1
    task_worker([INTAKE_QUEUE], batch=True).run()
    assert set(InboundMessage.objects.values_list("status", flat=True)) == {"processed"}
    assert list(Ticket.objects.order_by("pk").values_list("subject", flat=True)) == [
        f"Ryhmä {group}/{n}" for group in range(3) for n in range(2)
    ]

    store_group(3)  # the only task has run: this group needs one of its own
    assert intake_tasks.count() == 2 and intake_tasks.ready().count() == 1
    task_worker([INTAKE_QUEUE], batch=True).run()
    assert intake_tasks.successful().count() == 2
    assert not InboundMessage.objects.exclude(status="processed").exists()
