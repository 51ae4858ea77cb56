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
def test_the_first_intake_task_of_a_backlog_processes_all_of_it(main_user):
    """Three LMTP groups queued three tasks: the first one run processes every waiting
    message, oldest first, and the other two find nothing left to do."""
    from django_tasks_db.models import DBTaskResult

    from tiketti.mail import inbound
    from tiketti.mail.tasks import INTAKE_QUEUE
    from tiketti.operations.management.commands.worker import task_worker
    from tiketti.tickets.models import Ticket

    for group in range(3):
        raws = [make(subject=f"Ryhmä {group}/{n}").as_bytes() for n in range(2)]
        inbound.queue_processing([row for row, _ in inbound.store_many(raws, via="lmtp")])
    assert DBTaskResult.objects.filter(queue_name=INTAKE_QUEUE).count() == 3

    def run(tasks):
        task_worker([INTAKE_QUEUE], batch=True, max_tasks=tasks).run()

    run(1)
    assert set(InboundMessage.objects.values_list("status", flat=True)) == {"processed"}
    assert DBTaskResult.objects.filter(queue_name=INTAKE_QUEUE).ready().count() == 2
    run(None)
    assert DBTaskResult.objects.filter(queue_name=INTAKE_QUEUE).successful().count() == 3
    assert list(Ticket.objects.order_by("pk").values_list("subject", flat=True)) == [
        f"Ryhmä {group}/{n}" for group in range(3) for n in range(2)
    ]
