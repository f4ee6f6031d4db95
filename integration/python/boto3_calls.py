#!/usr/bin/env python3
"""Sends each wire-test case through a boto3 client (`apigatewayv2` unless SERVICE is given).

    boto3_calls.py CASES.json ENDPOINT_URL [SERVICE]

CASES.json is a list of `{"name": ..., "operation": "CreateRouteResponse", "params": {...}}`
with boto3's parameter names. Timestamps are written as ISO 8601 strings (botocore parses
them). Before each case a `GET /__mark__/<index>` goes to the endpoint (the recording server
logs it as a marker), so the recorded requests can be split per case.

Prints one JSON list on stdout: for each case `{"ok": true}` or `{"ok": false, "error": "..."}`.
The endpoint answers `200 {}` to everything, so an error here means boto3 refused the call.
"""

import json
import sys
import urllib.request

import boto3
import botocore
from botocore.config import Config


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: boto3_calls.py CASES.json ENDPOINT_URL [SERVICE]")
    cases_path, endpoint = sys.argv[1], sys.argv[2].rstrip("/")
    service = sys.argv[3] if len(sys.argv) == 4 else "apigatewayv2"
    with open(cases_path, encoding="utf-8") as f:
        cases = json.load(f)

    client = boto3.session.Session().client(
        service,
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        config=Config(
            retries={"total_max_attempts": 1},
            connect_timeout=5,
            read_timeout=10,
            parameter_validation=True,
        ),
    )

    results = []
    for index, case in enumerate(cases):
        with urllib.request.urlopen(f"{endpoint}/__mark__/{index}", timeout=10) as r:
            r.read()
        method = getattr(client, botocore.xform_name(case["operation"]))
        try:
            method(**case.get("params", {}))
            results.append({"ok": True})
        except Exception as e:  # report, the Rust side decides
            results.append({"ok": False, "error": f"{type(e).__name__}: {e}"})
    json.dump(results, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
