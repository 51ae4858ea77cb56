from typing import Any

from django.core.management.base import BaseCommand

from tiketti.operations.demo import load_demo_data, login_lines


class Command(BaseCommand):
    help = "Load demo organisations, people, categories and tickets (fi/pl/en). Safe to rerun."

    def handle(self, *args: Any, **options: Any) -> None:
        if load_demo_data():
            self.stdout.write("Demo data loaded.")
        else:
            self.stdout.write("Demo data is already loaded.")
        for line in login_lines():
            self.stdout.write(line)
