"""Real servers on loopback for the transport tests: a private Dovecot (IMAP) and an OAuth
2.0 provider (token endpoint, plus the introspection endpoint Dovecot asks about XOAUTH2
tokens). Nothing here is a mock of Tiketti's own code."""

from __future__ import annotations

import contextlib
import grp
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

from imapclient import IMAPClient

PASSWORD_USER = "support@tiketti.example"
PASSWORD = "imap-secret"
OAUTH_USER = "oauth@tiketti.example"
OAUTH_USER_PASSWORD = "only-for-putting-test-mail-in"
CLIENT_ID = "tiketti-test-client"
CLIENT_SECRET = "tiketti-test-secret"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


def dovecot_binary() -> str | None:
    found = shutil.which("dovecot") or "/usr/sbin/dovecot"
    return found if os.access(found, os.X_OK) else None


# --- OAuth 2.0 provider --------------------------------------------------------------


@dataclass
class OAuthProvider:
    """Issues access tokens for a refresh token, and tells Dovecot which are valid."""

    port: int = 0
    refresh_token: str = "refresh-1"
    refusal: str = ""  # an OAuth error code to answer every refresh with (e.g. invalid_grant)
    issued: set[str] = field(default_factory=set)
    refresh_requests: list[dict[str, str]] = field(default_factory=list)

    @property
    def token_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/token"

    @property
    def introspection_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/introspect"

    def answer(self, path: str, form: dict[str, str]) -> tuple[int, dict[str, object]]:
        if path == "/introspect":
            return 200, {"active": form.get("token") in self.issued, "username": OAUTH_USER}
        self.refresh_requests.append(form)
        if self.refusal or form.get("refresh_token") != self.refresh_token:
            return 400, {"error": self.refusal or "invalid_grant", "error_description": "No."}
        token = secrets.token_urlsafe(24)
        self.issued.add(token)
        self.refresh_token = f"refresh-{len(self.refresh_requests) + 1}"  # rotates, as Microsoft
        return 200, {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": 3599,
            "refresh_token": self.refresh_token,
        }


def start_oauth_provider() -> tuple[OAuthProvider, ThreadingHTTPServer]:
    provider = OAuthProvider()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            fields = parse_qs(self.rfile.read(length).decode())
            form = {name: values[0] for name, values in fields.items()}
            status, body = provider.answer(self.path, form)
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    provider.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return provider, server


# --- Dovecot -------------------------------------------------------------------------


@dataclass
class Dovecot:
    """A private Dovecot on loopback: plain/STARTTLS on `port`, TLS on `tls_port`."""

    root: Path
    port: int
    tls_port: int
    certificate: Path | None
    process: subprocess.Popen[bytes] | None = None

    def client(self, user: str = PASSWORD_USER, password: str = PASSWORD) -> IMAPClient:
        client = IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=10)
        client.login(user, password)
        return client

    def deliver(
        self, *messages: bytes, user: str = PASSWORD_USER, password: str = PASSWORD
    ) -> None:
        with self.client(user, password) as client:
            for raw in messages:
                client.append("INBOX", raw)

    def uids_with(self, flag: str, folder: str = "INBOX") -> list[int]:
        with self.client() as client:
            client.select_folder(folder, readonly=True)
            criteria = ["SEEN"] if flag == "\\Seen" else ["KEYWORD", flag]
            return sorted(client.search(criteria))

    def log(self) -> str:
        names = ("dovecot.stderr", "dovecot.log")
        paths = [self.root / name for name in names if (self.root / name).exists()]
        return "".join(path.read_text(errors="replace") for path in paths)

    def stop(self) -> None:
        if self.process is not None:
            # Its own process group (see start_dovecot): SIGKILL to the group ends the
            # master and its children at once; SIGTERM makes the master wait a second.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)


def make_certificate(directory: Path) -> Path | None:
    """A self-signed certificate for 127.0.0.1 (None without the openssl tool)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout",
            str(directory / "key.pem"),
            "-out",
            str(directory / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    return directory / "cert.pem"


def start_dovecot(binary: str, provider: OAuthProvider) -> Dovecot:
    root = Path(tempfile.mkdtemp(prefix="tiketti-dovecot-"))
    root.chmod(0o755)  # the mail processes run as another user when we are root
    server = Dovecot(root, free_port(), free_port(), make_certificate(root))
    mail_user = _mail_user()
    for name in ("mail", "home"):
        (root / name).mkdir()
        os.chown(root / name, mail_user.pw_uid, mail_user.pw_gid)
    (root / "passwd").write_text(
        f"{PASSWORD_USER}:{{PLAIN}}{PASSWORD}\n{OAUTH_USER}:{{PLAIN}}{OAUTH_USER_PASSWORD}\n"
    )
    (root / "oauth2.conf").write_text(
        "introspection_mode = post\n"
        f"introspection_url = {provider.introspection_url}\n"
        "username_attribute = username\nactive_attribute = active\nactive_value = true\n"
        "force_introspection = yes\n"
    )
    (root / "dovecot.conf").write_text(_config(server, mail_user))
    with (root / "dovecot.stderr").open("wb") as errors:  # start-up errors come here
        server.process = subprocess.Popen(
            [binary, "-F", "-c", str(root / "dovecot.conf")],
            stdout=subprocess.DEVNULL,
            stderr=errors,
            start_new_session=True,
        )
    try:
        wait_for_port(server.port, server.process)
    except RuntimeError as error:
        log = server.log()
        server.stop()
        raise RuntimeError(f"Dovecot did not start: {error}\n{log}") from None
    return server


def _mail_user() -> pwd.struct_passwd:
    # Dovecot refuses to run mail processes as root; as root, use the unprivileged `nobody`.
    return pwd.getpwnam("nobody") if os.geteuid() == 0 else pwd.getpwuid(os.geteuid())


def _config(server: Dovecot, mail_user: pwd.struct_passwd) -> str:
    root = server.root
    chroot = ""  # the services' default chroot: only root may chroot
    if os.geteuid() == 0:
        users = "default_internal_user = dovecot\ndefault_login_user = dovenull\n"
    else:
        chroot = "chroot ="
        # Unprivileged: everything runs as us (Dovecot cannot change users).
        me = pwd.getpwuid(os.geteuid()).pw_name
        group = grp.getgrgid(os.getegid()).gr_name
        users = (
            f"default_internal_user = {me}\ndefault_login_user = {me}\n"
            f"default_internal_group = {group}\n"
        )
    ssl = (
        f"ssl = yes\nssl_cert = <{root}/cert.pem\nssl_key = <{root}/key.pem\n"
        if server.certificate
        else "ssl = no\n"
    )
    return f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
{ssl}
{users}
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2
auth_failure_delay = 0
first_valid_uid = {min(mail_user.pw_uid, 100)}
mail_location = maildir:{root}/mail/%u
service imap-login {{
  {chroot}
  inet_listener imap {{
    address = 127.0.0.1
    port = {server.port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {server.tls_port if server.certificate else 0}
    ssl = yes
  }}
}}
# No growing delay after the failed logins the tests make on purpose.
service anvil {{
  {chroot}
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
passdb {{
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
passdb {{
  driver = oauth2
  mechanisms = xoauth2
  args = {root}/oauth2.conf
}}
userdb {{
  driver = static
  args = uid={mail_user.pw_uid} gid={mail_user.pw_gid} home={root}/home/%u
}}
"""
