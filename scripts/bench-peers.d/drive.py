"""Drives one Python Zenodo client from PyPI, unchanged, through a first upload: a new deposit
holding every file of a folder. Used by scripts/bench-peers, which times it and measures its
peak RSS with /usr/bin/time.

    python drive.py PEER API_URL TOKEN FOLDER

Each client hard-codes zenodo.org; the only change made is to point it at API_URL, the way
each one's own code builds its URLs (an attribute, a module constant, or a URL function).
"""

import os
import sys

peer, api, token, folder = sys.argv[1:5]
paths = sorted(os.path.join(folder, name) for name in os.listdir(folder))
metadata = {
    "title": "Benchmark deposit",
    "upload_type": "dataset",
    "description": "Benchmark.",
    "creators": [{"name": "Doe, Jane"}],
}


def check(response):
    response.raise_for_status()
    return response


if peer == "zenodo-client":
    from zenodo_client import Zenodo

    client = Zenodo(access_token=token)
    client.base = api.removesuffix("/api")
    client.api_base = api
    client.depositions_base = api + "/deposit/depositions"
    check(client.create({"metadata": metadata}, paths, publish=False))
elif peer == "zenodo-uploader":
    import logging

    import zenodo_uploader.cli as cli

    logging.disable(logging.INFO)
    cli.ZENODO_URLS["production"] = api
    cli.upload(
        token,
        paths,
        {"title": metadata["title"], "author": "Doe, Jane", "description": "Benchmark."},
    )
elif peer == "zenodo-api":
    import zenodo_api.upload_files as upload_files

    os.environ["ACCESS_TOKEN"] = token
    upload_files.url_selector = lambda is_sandbox=False: api
    created = check(upload_files.create_deposition_in_new_record(False)).json()
    for path in paths:
        check(upload_files.upload_file(created["links"]["bucket"], path))
elif peer == "zenodopy":
    import zenodopy

    client = zenodopy.Client(token=token)
    client._endpoint = api
    client.create_project(title=metadata["title"], upload_type="dataset", description="Benchmark.")
    if client.bucket is None:
        sys.exit("zenodopy: no deposit was created")
    for path in paths:
        client.upload_file(path)
else:
    sys.exit(f"unknown peer {peer}")
