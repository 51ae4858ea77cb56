import pytest


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the code under test queues for after commit, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def admin_user_factory(db):
    from tiketti.accounts.tests.factories import UserFactory

    return lambda: UserFactory(admin=True)
