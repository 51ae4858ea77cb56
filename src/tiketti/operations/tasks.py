from django.tasks import task

from . import periodic


@task()
def run_periodic_job(name: str) -> None:
    periodic.run_job(name)
