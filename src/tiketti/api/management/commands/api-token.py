from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tiketti.accounts.models import User
from tiketti.api.models import ApiToken


class Command(BaseCommand):
    help = "Manage API tokens. `create --email EMAIL` prints a new token for that user."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Print a new API token for a user.")
        create.add_argument("--email", required=True, help="The user's e-mail address.")
        create.add_argument("--name", default="", help="What the token is for.")

    def handle(self, *args: Any, action: str, email: str, name: str, **options: Any) -> None:
        user = User.objects.get_by_email(email)
        if user is None:
            raise CommandError(
                f"No user with e-mail {email!r}. Create the person first (admin or demo-data).",
                returncode=2,
            )
        if not user.is_active:
            raise CommandError(f"{email} is deactivated; activate the account first.", returncode=2)
        _, token = ApiToken.issue(user, name=name)
        self.stdout.write(token)
