"""Single sign-on for staff through OpenID Connect, against a real provider on loopback
(oidc-provider-mock: discovery, JWKS, RS256 ID tokens, client registration, nonce): the
whole authorization-code flow over real HTTP, role mapping, refusals, and the audit log."""

import threading
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import oidc_provider_mock
import pytest
import requests
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from werkzeug.serving import make_server

from tiketti.accounts.models import User
from tiketti.accounts.sso.roles import claim_values, staff_role_for, teams_for
from tiketti.accounts.tests.factories import TeamFactory
from tiketti.audit.describe import describe
from tiketti.audit.models import AuditEntry

Action = AuditEntry.Action
CALLBACK = "http://testserver/accounts/sso/callback/"
ROLE_MAP = {"helpdesk-agents": "agent", "helpdesk-leads": "team_lead", "helpdesk-admins": "admin"}


@pytest.fixture(scope="module")
def provider_url():
    """A real OpenID provider, served over HTTP on 127.0.0.1 for this module's tests."""
    app = oidc_provider_mock.app(require_client_registration=True, require_nonce=True)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


@pytest.fixture
def provider(provider_url, settings, db):
    """Tiketti registered as a client of the provider, and configured to use it."""
    registered = requests.post(
        f"{provider_url}/oauth2/clients",
        json={"redirect_uris": [CALLBACK], "token_endpoint_auth_method": "client_secret_post"},
        timeout=10,
    )
    assert registered.status_code == 201
    client = registered.json()
    settings.TIKETTI_OIDC_CLIENT_ID = settings.OIDC_RP_CLIENT_ID = client["client_id"]
    settings.OIDC_RP_CLIENT_SECRET = client["client_secret"]
    settings.TIKETTI_OIDC_ISSUER = provider_url
    settings.TIKETTI_OIDC_DISCOVERY_URL = f"{provider_url}/.well-known/openid-configuration"
    settings.TIKETTI_OIDC_PROVIDER_NAME = "Aurora ID"
    settings.TIKETTI_OIDC_ROLE_CLAIM = "groups"
    settings.TIKETTI_OIDC_ROLE_MAP = ROLE_MAP
    settings.TIKETTI_OIDC_TEAM_MAP = {"team-billing": "Billing", "team-support": "Support"}
    settings.TIKETTI_OIDC_TRUSTS_MFA = True
    settings.TIKETTI_STAFF_2FA_REQUIRED = True
    cache.clear()
    return provider_url


def person_at_provider(provider, sub, **claims):
    claims.setdefault("email", sub)
    claims.setdefault("email_verified", True)
    response = requests.put(f"{provider}/users/{quote(sub)}", json=claims, timeout=10)
    assert response.status_code == 204


def authorize(client, *, sub, tamper=None):
    """Start at Tiketti, consent at the provider as `sub`: the provider's redirect back."""
    start = client.get(reverse("accounts:sso-start"), {"next": "/desk/"})
    assert start.status_code == 302
    authorization_url = start["Location"]
    if tamper is not None:
        authorization_url = tamper(authorization_url)
    answer = requests.post(authorization_url, data={"sub": sub}, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    location = urlsplit(answer.headers["Location"])
    assert f"http://testserver{location.path}" == CALLBACK
    return f"{location.path}?{location.query}"


def sign_in(client, *, sub, tamper=None):
    return client.get(authorize(client, sub=sub, tamper=tamper))


def signed_in_user(client):
    user_id = client.session.get(SESSION_KEY)
    return User.objects.get(pk=user_id) if user_id else None


def refusal(client):
    page = client.get(reverse("accounts:login"))
    return [str(message) for message in page.context["messages"]]


def entries(action, **filters):
    return list(AuditEntry.objects.filter(action=action, **filters).order_by("pk"))


@pytest.mark.parametrize(
    ("claim", "role", "teams"),
    [
        (["helpdesk-agents"], "agent", set()),
        ("helpdesk-agents helpdesk-admins", "admin", set()),
        (["helpdesk-leads", "helpdesk-agents", "team-billing"], "team_lead", {"Billing"}),
        (["team-support"], "", {"Support"}),
        (["somebody-else"], "", set()),
        (None, "", set()),
        (42, "", set()),
    ],
)
def test_claim_values_map_to_the_strongest_role_and_their_teams(claim, role, teams):
    values = claim_values(claim)
    assert staff_role_for(values, ROLE_MAP) == role
    assert teams_for(values, {"team-billing": "Billing", "team-support": "Support"}) == teams


def test_a_new_agent_is_created_with_role_and_team_and_reaches_the_desk(client, provider):
    billing = TeamFactory(name="Billing")
    person_at_provider(
        provider,
        "aino@aurora.example",
        name="Aino Agent",
        groups=["helpdesk-agents", "team-billing"],
    )
    answer = sign_in(client, sub="aino@aurora.example")
    assert answer.status_code == 302 and answer["Location"] == "/desk/"
    assert client.get("/desk/").status_code == 200
    aino = User.objects.get(email="aino@aurora.example")
    assert (aino.staff_role, aino.display_name, aino.has_usable_password()) == (
        "agent",
        "Aino Agent",
        False,
    )
    assert list(aino.teams.all()) == [billing]
    [login] = entries(Action.SSO_LOGIN)
    assert login.actor == aino and login.details["staff_role"] == "agent"
    assert describe(login) == "aino@aurora.example signed in through Aurora ID."
    assert not entries(Action.LOGIN)
    [created] = entries(Action.ROLE_CHANGED)
    assert describe(created).startswith("Single sign-on (Aurora ID) changed Aino Agent")
    [teams] = entries(Action.PERMISSIONS_CHANGED)
    assert teams.details["added"] == ["Billing"] and teams.details["via"] == "sso"


def test_an_existing_agent_mapped_to_admin_becomes_admin(client, provider, agent):
    person_at_provider(provider, agent.email, groups=["helpdesk-admins"])
    sign_in(client, sub=agent.email)
    assert signed_in_user(client) == agent
    agent.refresh_from_db()
    assert agent.staff_role == "admin"
    assert client.get(reverse("admin:index")).status_code == 200
    [change] = entries(Action.ROLE_CHANGED, details__via="sso")
    assert change.details["changes"] == {"staff_role": ["agent", "admin"]}
    with translation.override("en"):
        assert "from “agent” to “admin”" in describe(change)


def test_someone_without_a_mapped_role_is_refused_and_not_created(client, provider):
    person_at_provider(provider, "olli@aurora.example", groups=["marketing"])
    answer = sign_in(client, sub="olli@aurora.example")
    assert answer.status_code == 302 and answer["Location"] == reverse("accounts:login")
    assert not User.objects.filter(email="olli@aurora.example").exists()
    assert client.get("/desk/").status_code == 302
    assert "does not make you staff here" in refusal(client)[0]
    [refused] = entries(Action.SSO_LOGIN_FAILED)
    assert refused.details["reason"] == "no_staff_role"
    assert describe(refused) == (
        "Sign-in through Aurora ID refused for olli@aurora.example: "
        "the provider gives no staff role."
    )
    assert not entries(Action.LOGIN_FAILED)


def test_staff_who_lost_the_role_claim_lose_staff_access(client, provider, agent, team):
    from django.test import Client

    desk_browser = Client()
    desk_browser.force_login(agent)
    person_at_provider(provider, agent.email, groups=["team-support"])
    sign_in(client, sub=agent.email)
    assert signed_in_user(desk_browser) is None
    agent.refresh_from_db()
    assert (agent.staff_role, agent.is_agent, list(agent.teams.all())) == ("", False, [])
    assert entries(Action.SSO_LOGIN_FAILED)[0].details["reason"] == "no_staff_role"
    [change] = entries(Action.ROLE_CHANGED, details__via="sso")
    assert change.details["changes"]["staff_role"] == ["agent", ""]
    assert change.details["via"] == "sso"
    [teams] = entries(Action.PERMISSIONS_CHANGED)
    assert teams.details["removed"] == ["Support"]


def test_customers_never_sign_in_through_it_even_with_a_staff_claim(client, provider, main_user):
    person_at_provider(provider, main_user.email, groups=["helpdesk-admins"])
    sign_in(client, sub=main_user.email)
    main_user.refresh_from_db()
    assert main_user.staff_role == "" and signed_in_user(client) is None
    assert entries(Action.SSO_LOGIN_FAILED)[0].details["reason"] == "customer_account"


def test_an_unverified_address_matches_nobody(client, provider, agent):
    person_at_provider(provider, agent.email, email_verified=False, groups=["helpdesk-agents"])
    sign_in(client, sub=agent.email)
    assert signed_in_user(client) is None
    assert entries(Action.SSO_LOGIN_FAILED)[0].details["reason"] == "email_unverified"


def test_an_answer_to_another_browsers_sign_in_is_refused(
    client, provider, agent, django_user_model
):
    from django.test import Client

    person_at_provider(provider, agent.email, groups=["helpdesk-agents"])
    callback = authorize(client, sub=agent.email)
    victim = Client()
    answer = victim.get(callback)
    assert answer["Location"] == reverse("accounts:login")
    assert signed_in_user(victim) is None
    [refused] = entries(Action.SSO_LOGIN_FAILED)
    assert refused.details["reason"] == "state_mismatch"
    # The browser that started it may use it once; a replay of the same answer is refused.
    client.get(callback)
    assert signed_in_user(client) == agent
    client.logout()
    client.get(callback)
    assert signed_in_user(client) is None
    assert [entry.details["reason"] for entry in entries(Action.SSO_LOGIN_FAILED)] == [
        "state_mismatch",
        "state_mismatch",
    ]


def test_an_id_token_with_another_nonce_is_refused(client, provider, agent):
    def forge_nonce(url):
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query))
        query["nonce"] = "forged-nonce"
        return urlunsplit(parts._replace(query=urlencode(query)))

    person_at_provider(provider, agent.email, groups=["helpdesk-agents"])
    sign_in(client, sub=agent.email, tamper=forge_nonce)
    assert signed_in_user(client) is None
    [refused] = entries(Action.SSO_LOGIN_FAILED)
    assert refused.details["reason"] == "token_invalid"
    assert "could not be checked" in refusal(client)[0]


def test_without_trusting_the_provider_staff_still_give_their_code(client, provider, settings):
    settings.TIKETTI_OIDC_TRUSTS_MFA = False
    person_at_provider(provider, "aino@aurora.example", groups=["helpdesk-agents"])
    sign_in(client, sub="aino@aurora.example")
    desk = client.get("/desk/")
    assert desk.status_code == 302
    assert desk["Location"].startswith(reverse("accounts:two-factor-setup"))


def test_the_login_page_offers_the_provider_only_when_configured(client, provider, settings):
    page = client.get(reverse("accounts:login"))
    assert "Sign in with Aurora ID" in page.content.decode()
    settings.TIKETTI_OIDC_CLIENT_ID = ""
    assert "Sign in with" not in client.get(reverse("accounts:login")).content.decode()
    assert client.get(reverse("accounts:sso-start")).status_code == 404
    assert client.get(reverse("accounts:sso-callback")).status_code == 404


def test_an_unreachable_provider_is_said_on_the_login_page(client, provider, settings):
    settings.TIKETTI_OIDC_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    settings.OIDC_TIMEOUT = 2
    answer = client.get(reverse("accounts:sso-start"))
    assert answer["Location"] == reverse("accounts:login")
    assert "cannot be reached" in refusal(client)[0]


def test_password_sign_in_is_unchanged(client, agent, provider):
    response = client.post(
        reverse("accounts:login"), {"username": agent.email, "password": "secret-pass"}
    )
    assert response.status_code == 302
    assert [entry.action for entry in AuditEntry.objects.filter(actor=agent)][:1] == [Action.LOGIN]


def test_any_other_sign_in_in_the_same_session_forgets_the_providers_second_factor(
    rf, agent, settings
):
    from django.contrib.auth import login
    from django.contrib.sessions.backends.db import SessionStore

    from tiketti.accounts.sso import PROVIDER_MFA_SESSION_KEY
    from tiketti.accounts.two_factor import session_requires_second_factor

    settings.TIKETTI_STAFF_2FA_REQUIRED = True
    request = rf.get("/")
    request.session = SessionStore()
    request.session[PROVIDER_MFA_SESSION_KEY] = True
    assert not session_requires_second_factor(request, agent)
    login(request, agent, backend="tiketti.accounts.backends.EmailBackend")
    assert session_requires_second_factor(request, agent)
