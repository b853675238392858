"""Start `zenodo-emulator` as a real process and talk HTTP to it.

Fixture plumbing shared by the conformance suites. It stands in for what the upstream suites get
from Flask and pytest-invenio (an app, a test client, users logged in through the session): here
the app is a separate `zenodo-emulator` process on a free loopback port, the client is a
`requests` session, and "logging a user in" means sending that user's API token.

Written for zen-do; nothing here is copied from the upstream projects.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 30.0


def emulator_binary() -> Path:
    """The `zenodo-emulator` executable: `$ZENODO_EMULATOR`, else SwiftPM's bin path.

    Nothing is built here; `scripts/test-conformance` builds the product first.
    """
    configured = os.environ.get("ZENODO_EMULATOR")
    if configured:
        path = Path(configured)
    else:
        bin_dir = subprocess.run(
            ["swift", "build", "--show-bin-path"],
            cwd=REPO_ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        path = Path(bin_dir) / "zenodo-emulator"
    if not path.is_file() or not os.access(path, os.X_OK):
        raise RuntimeError(
            f"no zenodo-emulator executable at {path}: run "
            "`swift build --product zenodo-emulator` or set ZENODO_EMULATOR"
        )
    return path


_HELP_CACHE: dict[Path, str] = {}


def emulator_options(binary: Path) -> str:
    """The emulator's `--help-hidden` text (hidden options too): which options this build has."""
    if binary not in _HELP_CACHE:
        done = subprocess.run(
            [str(binary), "--help-hidden"], capture_output=True, text=True, timeout=30
        )
        _HELP_CACHE[binary] = done.stdout + done.stderr
    return _HELP_CACHE[binary]


class User:
    """A user of the emulator: a name, the owner id the emulator gives it, and its token.

    `api_login`/`api_logout` mirror pytest-invenio's `UserFixture`: they change the client
    in place (and return it), so later requests on that client are made as this user, or
    anonymously.
    """

    def __init__(self, name: str, user_id: int, token: str):
        self.name = name
        self.id = str(user_id)
        self.token = token

    def api_login(self, client: "Client") -> "Client":
        client.token = self.token
        return client

    def api_logout(self, client: "Client") -> "Client":
        client.token = None
        return client

    def login(self, client: "Client", logout_first: bool = False) -> "Client":
        return self.api_login(client)

    def logout(self, client: "Client") -> "Client":
        return self.api_logout(client)

    @property
    def user(self) -> "User":
        """pytest-invenio's `UserFixture.user` (the database row); here the user itself."""
        return self


class Emulator:
    """One running `zenodo-emulator` process with its own temporary state directory."""

    def __init__(self, binary: Path, users: list[str], extra_args: list[str]):
        self.binary = binary
        self.workdir = Path(tempfile.mkdtemp(prefix="zen-do-conformance-"))
        self.users: dict[str, User] = {}
        args = [str(binary), "--port", "0", "--state-dir", str(self.workdir / "state")]
        tokens = {name: secrets.token_urlsafe(24) for name in users}
        for name in users:
            args += ["--user", f"{name}:{tokens[name]}"]
        args += extra_args
        self.args = args
        self.stdout_path = self.workdir / "stdout"
        self.stderr_path = self.workdir / "stderr"
        self._stdout = open(self.stdout_path, "wb")
        self._stderr = open(self.stderr_path, "wb")
        self.process = subprocess.Popen(
            args, stdout=self._stdout, stderr=self._stderr, stdin=subprocess.DEVNULL
        )
        self.api = self._wait_until_ready()
        self.origin = self.api[: -len("/api")] if self.api.endswith("/api") else self.api
        # Owner ids are 1, 2, ... in the order the users were given (docs/emulator.md).
        for index, name in enumerate(users):
            self.users[name] = User(name, index + 1, tokens[name])

    def _wait_until_ready(self) -> str:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            text = self.stdout_path.read_text(errors="replace")
            if "\nready\n" in "\n" + text:
                match = re.search(r"listening on (\S+)", text)
                if not match:
                    raise RuntimeError(f"emulator printed no URL:\n{text}")
                return match.group(1).rstrip("/")
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"emulator exited with {self.process.returncode} before 'ready'\n"
                    f"args: {self.args}\nstdout:\n{text}\n"
                    f"stderr:\n{self.stderr_path.read_text(errors='replace')}"
                )
            time.sleep(0.01)
        self.stop()
        raise RuntimeError(f"emulator not ready after {START_TIMEOUT_S} s: {self.args}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._stdout.close()
        self._stderr.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


class Response:
    """What the tests read of a reply, named as on Werkzeug's test response."""

    def __init__(self, reply: requests.Response):
        self.raw = reply
        self.status_code = reply.status_code
        self.data = reply.content
        self.headers = reply.headers

    @property
    def json(self):
        """The body parsed as JSON, or None when it is not JSON (as Werkzeug's `.json`)."""
        try:
            return self.raw.json()
        except ValueError:
            return None

    def __repr__(self) -> str:
        body = self.data[:2000].decode("utf-8", errors="replace")
        return f"<{self.raw.request.method} {self.raw.url} -> {self.status_code} {body}>"


_MISSING = object()


class Client:
    """A `requests` session with the call shape of Flask's test client.

    Relative URLs are resolved against `base` (the server's origin for zenodo-rdm's tests, whose
    URLs start with `/api`; the API root for invenio-rdm-records', whose URLs start with
    `/records`). `data` given as a dict with `(stream, filename)` values is sent as
    multipart/form-data, as Werkzeug's EnvironBuilder does.
    """

    def __init__(self, base: str, token: str | None = None):
        self.base = base.rstrip("/")
        self.token = token
        self.session = requests.Session()
        # Werkzeug's test client sends no Accept unless the test does; requests would send */*.
        del self.session.headers["Accept"]

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc) -> None:
        self.session.close()

    def url(self, url: str) -> str:
        return url if re.match(r"^https?://", url) else self.base + url

    def open(
        self,
        method: str,
        url: str,
        json=_MISSING,
        data=None,
        headers=None,
        query_string=None,
        content_type=None,
    ) -> Response:
        sent_headers = {k.lower(): v for k, v in (headers or {}).items()}
        if content_type is not None:
            sent_headers["content-type"] = content_type
        if self.token:
            sent_headers["authorization"] = f"Bearer {self.token}"
        kwargs: dict = {"params": query_string, "allow_redirects": False}
        if json is not _MISSING:
            kwargs["json"] = json
            sent_headers.setdefault("content-type", "application/json")
        elif isinstance(data, dict):
            files = {
                key: (value[1], value[0])
                for key, value in data.items()
                if isinstance(value, tuple)
            }
            fields = {k: v for k, v in data.items() if not isinstance(v, tuple)}
            if files:
                # requests writes the multipart Content-Type with its boundary.
                sent_headers.pop("content-type", None)
                kwargs["files"] = files
            kwargs["data"] = fields
        elif data is not None:
            if isinstance(data, io.BytesIO):
                data = data.getvalue()
            kwargs["data"] = data
        reply = self.session.request(
            method, self.url(url), headers=sent_headers, timeout=60, **kwargs
        )
        return Response(reply)

    def get(self, url, **kwargs) -> Response:
        return self.open("GET", url, **kwargs)

    def post(self, url, **kwargs) -> Response:
        return self.open("POST", url, **kwargs)

    def put(self, url, **kwargs) -> Response:
        return self.open("PUT", url, **kwargs)

    def patch(self, url, **kwargs) -> Response:
        return self.open("PATCH", url, **kwargs)

    def delete(self, url, **kwargs) -> Response:
        return self.open("DELETE", url, **kwargs)

    def options(self, url, **kwargs) -> Response:
        return self.open("OPTIONS", url, **kwargs)
