"""Account events other apps react to (mail sends what they call for)."""

from django.dispatch import Signal

# After commit; keyword `email`: a normalised address someone asked a reset link for. It
# may belong to no account: the receiver finds out, away from the request.
password_reset_requested = Signal()

# In the transaction; keyword `user`: they confirmed an authenticator app.
second_factor_enrolled = Signal()
# In the transaction; keywords `user`, `actor` (who removed it) and `count` (devices).
second_factor_removed = Signal()

# Keywords `request`, `email` (may be ""), `user` (the matched account or None) and
# `reason` (a code, see audit.describe.SSO_REFUSALS): single sign-on refused someone.
sso_refused = Signal()
# Keywords `user`, `added` and `removed` (team names): the role claim moved them.
sso_teams_changed = Signal()
