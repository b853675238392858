"""Fixtures shared by the conformance suites: a fresh `zenodo-emulator` process per test.

Every test gets its own emulator (start-up is well under a second), so each starts from an empty
store, as the upstream tests start from an empty database. The binary comes from
`$ZENODO_EMULATOR` or `swift build --show-bin-path`; this file builds nothing.

A test asks for more with `@pytest.mark.emulator(...)`:
- `communities=["rdm:uploader"]` passes `--community SLUG:USER` (needs an emulator with it);
- `vocabulary=True` (the legacy suite's default) passes `--vocabulary fixtures/vocabulary.json` (funders and awards);
- `metadata_only=True` (the RDM suite's default) passes `--allow-metadata-only`, upstream
  InvenioRDM's RDM_ALLOW_METADATA_ONLY_RECORDS = True (zenodo.org has False);
- `args=[...]` passes anything else.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from emulator import Client, Emulator, emulator_binary, emulator_options
from xfail import EXPECTED_FAILURES

HERE = Path(__file__).resolve().parent
USERS = ["uploader", "test_user", "superuser", "community_owner"]
VOCABULARY = HERE / "fixtures" / "vocabulary.json"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "emulator(communities, vocabulary, args): how to start the emulator"
    )


def pytest_collection_modifyitems(config, items):
    """Mark the tests listed in xfail.py, and refuse stale entries in that list."""
    collected = {item.nodeid.split("Tests/Conformance/")[-1]: item for item in items}
    for nodeid, reason in EXPECTED_FAILURES.items():
        item = collected.get(nodeid)
        if item is not None:
            item.add_marker(pytest.mark.xfail(strict=True, reason=reason))
    if not config.args or all(Path(a).resolve() == HERE for a in config.args):
        stale = sorted(set(EXPECTED_FAILURES) - set(collected))
        if stale:
            raise pytest.UsageError(f"xfail.py names tests that do not exist: {stale}")


@pytest.fixture(scope="session")
def binary():
    return emulator_binary()


@pytest.fixture()
def emulator_defaults():
    """Emulator options for every test of a suite; a suite's conftest.py overrides this."""
    return {}


@pytest.fixture()
def emulator(request, binary, emulator_defaults):
    marker = request.node.get_closest_marker("emulator")
    options = {**emulator_defaults, **(marker.kwargs if marker else {})}
    help_text = emulator_options(binary)  # --help-hidden
    args: list[str] = []
    if "--superuser" in help_text:
        args += ["--superuser", "superuser"]
    for community in options.get("communities", []):
        if "--community" not in help_text:
            pytest.fail("this emulator build has no --community option", pytrace=False)
        args += ["--community", community]
    if options.get("vocabulary"):
        if "--vocabulary" in help_text:
            args += ["--vocabulary", str(VOCABULARY)]
        else:
            # Said, not hidden: the tests that need the award vocabulary then fail on their own.
            warnings.warn("this emulator build has no --vocabulary option; started without it")
    if options.get("metadata_only"):
        if "--allow-metadata-only" in help_text:
            args += ["--allow-metadata-only"]
        else:
            warnings.warn("this emulator build has no --allow-metadata-only option")
    args += options.get("args", [])
    process = Emulator(binary, USERS, args)
    yield process
    process.stop()


@pytest.fixture()
def uploader(emulator):
    return emulator.users["uploader"]


@pytest.fixture()
def test_user(emulator):
    return emulator.users["test_user"]


@pytest.fixture()
def superuser(emulator):
    return emulator.users["superuser"]


@pytest.fixture()
def community_owner(emulator):
    return emulator.users["community_owner"]


@pytest.fixture(scope="session")
def headers():
    """Default headers for making requests (as both upstream suites define them)."""
    return {
        "content-type": "application/json",
        "accept": "application/json",
    }


@pytest.fixture(scope="session")
def files_headers():
    """Default headers for making file upload requests."""
    return {
        "content-type": "application/octet-stream",
        "accept": "application/json",
    }


@pytest.fixture()
def anonymous_client(emulator):
    """A second client that never logs in."""
    with Client(emulator.origin) as client:
        yield client


class CommunityItem:
    """A community as the upstream fixtures hand it out: `.data` is its JSON, `[key]` too."""

    def __init__(self, data: dict):
        self.data = data

    def __getitem__(self, key):
        return self.data[key]


def _community(emulator, slug: str) -> CommunityItem:
    """Reads a community the emulator was started with (`--community SLUG:OWNER`)."""
    with Client(emulator.api) as client:
        reply = client.get(f"/communities/{slug}", headers={"accept": "application/json"})
    assert reply.status_code == 200, f"community {slug!r} not served: {reply!r}"
    return CommunityItem(reply.json)


@pytest.fixture()
def community_with_uploader_owner(emulator):
    """zenodo-rdm's fixture: community "rdm" owned by the uploader (mark the test with
    `@pytest.mark.emulator(communities=["rdm:uploader"])`)."""
    return _community(emulator, "rdm")


@pytest.fixture()
def community(emulator):
    """invenio-rdm-records' fixture: community "blr" owned by community_owner (mark the test
    with `@pytest.mark.emulator(communities=["blr:community_owner"])`)."""
    return _community(emulator, "blr")


@pytest.fixture()
def community2(emulator):
    """invenio-rdm-records' second community: "rdm", owned by community_owner (mark the test
    with `@pytest.mark.emulator(communities=[..., "rdm:community_owner"])`)."""
    return _community(emulator, "rdm")
