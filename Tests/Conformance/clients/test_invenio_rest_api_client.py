"""A real third-party InvenioRDM client from PyPI, unchanged, against the emulator.

`invenio-rest-api-client` (Terradue, MIT; pinned in requirements.txt) is generated from an
OpenAPI description of InvenioRDM and knows Zenodo's two record shapes: it parses every record
reply with pydantic into `RDMRecord` or `ZenodoRecord` (Zenodo's `application/json`), so each
reply the emulator gives must fit the client's own schema. This test drives its public API
through create, the three-step upload, publish, new version (with files-import), publish again,
latest, and download. The client runs with its defaults (an undocumented status is returned,
not raised), and the test checks every status itself. Written for zen-do.
"""

import io
import json
from http import HTTPStatus

from invenio_rest_api_client import AuthenticatedClient
from invenio_rest_api_client.api.drafts import (
    link_files_from_previous_version,
    publish_a_draft_record,
)
from invenio_rest_api_client.api.drafts_files_upload import (
    step_1_start_draft_file_uploads,
    step_2_upload_a_draft_files_content,
    step_3_complete_a_draft_file_upload,
)
from invenio_rest_api_client.api.records import create_a_draft_record, get_a_record_by_id
from invenio_rest_api_client.api.records_files import download_a_record_file
from invenio_rest_api_client.api.records_versions import (
    create_a_new_version,
    get_latest_version,
)
from invenio_rest_api_client.models import (
    CreateADraftRecordBody,
    FileTransferItem,
    ZenodoRecord,
)
from invenio_rest_api_client.types import File

METADATA = {
    "metadata": {
        "resource_type": {"id": "dataset"},
        "title": "Conformance: a third-party client",
        "publication_date": "2024-05-01",
        "creators": [
            {
                "person_or_org": {
                    "type": "personal",
                    "given_name": "Ada",
                    "family_name": "Lovelace",
                }
            }
        ],
        "publisher": "Zenodo",
    }
}


def upload(client, draft_id, key, payload):
    reply = step_1_start_draft_file_uploads.sync_detailed(
        draft_id, client=client, body=[FileTransferItem(key=key)]
    )
    assert reply.status_code == HTTPStatus.CREATED, reply.content
    reply = step_2_upload_a_draft_files_content.sync_detailed(
        draft_id, key, client=client, body=File(payload=io.BytesIO(payload))
    )
    assert reply.status_code == HTTPStatus.OK, reply.content
    reply = step_3_complete_a_draft_file_upload.sync_detailed(draft_id, key, client=client)
    # The client's OpenAPI document says commit answers 201; InvenioRDM answers 200
    # (invenio-rdm-records' own tests assert 200), which the client leaves unparsed.
    assert reply.status_code == HTTPStatus.OK, reply.content
    return json.loads(reply.content)


def test_create_upload_publish_new_version(emulator, uploader):
    client = AuthenticatedClient(
        base_url=emulator.origin,
        token=uploader.token,
        follow_redirects=True,
    )
    payload = json.dumps({"rows": [1, 2, 3]}).encode()

    # Create: no Accept header, so Zenodo JSON (an integer id) comes back.
    reply = create_a_draft_record.sync_detailed(
        client=client, body=CreateADraftRecordBody.model_validate(METADATA)
    )
    assert reply.status_code == HTTPStatus.CREATED, reply.content
    draft = reply.parsed
    assert isinstance(draft, ZenodoRecord), draft
    draft_id = str(draft.id)

    committed = upload(client, draft_id, "data.json", payload)
    assert committed["key"] == "data.json"
    assert committed["size"] == len(payload)
    assert committed["status"] == "completed"

    reply = publish_a_draft_record.sync_detailed(draft_id, client=client)
    assert reply.status_code == HTTPStatus.ACCEPTED, reply.content
    record = reply.parsed
    assert isinstance(record, ZenodoRecord), record
    assert str(record.id) == draft_id
    assert record.doi == f"10.5281/zenodo.{draft_id}"
    assert record.conceptdoi == f"10.5281/zenodo.{record.conceptrecid}"

    # New version, its files imported from the first one, then published.
    reply = create_a_new_version.sync_detailed(draft_id, client=client)
    assert reply.status_code == HTTPStatus.CREATED, reply.content
    new_draft = reply.parsed
    new_id = str(new_draft.id)
    assert new_id != draft_id
    assert new_draft.conceptrecid == record.conceptrecid

    reply = link_files_from_previous_version.sync_detailed(new_id, client=client)
    assert reply.status_code == HTTPStatus.CREATED, reply.content
    assert [entry["key"] for entry in reply.parsed["entries"]] == ["data.json"]

    reply = publish_a_draft_record.sync_detailed(new_id, client=client)
    assert reply.status_code == HTTPStatus.ACCEPTED, reply.content
    second = reply.parsed
    assert second.doi == f"10.5281/zenodo.{new_id}"
    assert second.conceptrecid == record.conceptrecid

    # The first version's "latest" leads to the second.
    reply = get_latest_version.sync_detailed(draft_id, client=client)
    assert reply.status_code == HTTPStatus.OK, reply.content
    assert str(reply.parsed["id"]) == new_id

    reply = get_a_record_by_id.sync_detailed(draft_id, client=client)
    assert reply.status_code == HTTPStatus.OK, reply.content
    assert str(reply.parsed.id) == draft_id

    # The imported file's bytes are the ones uploaded to the first version.
    reply = download_a_record_file.sync_detailed(new_id, "data.json", client=client)
    assert reply.status_code == HTTPStatus.OK
    assert reply.content == payload
    assert reply.parsed == {"rows": [1, 2, 3]}
