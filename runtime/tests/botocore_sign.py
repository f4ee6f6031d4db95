"""Produces the expected Authorization header of `sigv4::tests::matches_botocore`.

Run with botocore installed (e.g. `python3 -m venv /tmp/v && /tmp/v/bin/pip install botocore`):
    /tmp/v/bin/python runtime/tests/botocore_sign.py
The request is the one the Rust test builds: same credentials, clock, path, query, headers and body.
"""
import datetime

import botocore.auth
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

botocore.auth.get_current_datetime = lambda *a, **k: datetime.datetime(2024, 2, 29, 23, 59, 58)

credentials = Credentials(
    "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "IQoJb3JpZ2luX2VjEXAMPLETOKEN/+="
)
request = AWSRequest(
    method="POST",
    # The path as the client sends it: the label `a1b2:c3 d` percent-encoded.
    url="https://apigateway.us-west-2.amazonaws.com/v2/apis/a1b2%3Ac3%20d/routes",
    params=[("maxResults", "25"), ("nextToken", "abc/def+ghi="), ("a b", "\u00fc")],
    headers={
        "host": "apigateway.us-west-2.amazonaws.com",
        "content-type": "application/json",
        "x-amz-client-context": "  spaced   out  ",
        "user-agent": "aws-codegen-runtime/0.1.0",
    },
    data=b'{"routeKey":"GET /pets","authorizationType":"NONE"}',
)
signer = SigV4Auth(credentials, "apigateway", "us-west-2")
signer.add_auth(request)
print(request.headers["Authorization"])
