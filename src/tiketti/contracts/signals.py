"""Contract events others react to (mail sends the notices). Sent after commit."""

from django.dispatch import Signal

# sender=Quote, quote_id=int: a quote waits for the customer's decision
quote_created = Signal()
# sender=Quote, quote_id=int: a main user approved or declined a quote
quote_decided = Signal()
# sender=QuotaNotice, notice_id=int: an organisation used 80 % / 100 % of the month's hours
quota_threshold_reached = Signal()
