#!/usr/bin/env python3
"""Smoke test of a running chaos: is it ready, does it score one customer and a batch of three, and
does it refuse a call without a key? Run after every deploy (deployment/deploy.sh) and by hand:

    CHAOS_SMOKE_KEY=... python3 deployment/smoke.py https://DOMAIN [--cacert FILE]

Every check runs and prints `ok NAME` or `FAILED NAME: why`; the exit status is 1 when any failed,
and the last line names the failed checks. The customer scored is the example of the API's own
OpenAPI document, so the script knows no field of the request body. Standard library only: it runs
in the deploy job's image beside kubectl.
"""

import argparse
import json
import os
import ssl
import sys
import urllib.error
import urllib.request
from collections.abc import Callable

KEY_VARIABLE = "CHAOS_SMOKE_KEY"
TIMEOUT_SECONDS = 15
BATCH_SIZE = 3


class CheckFailed(Exception):
    """A check's finding, printed after its name."""


class Api:
    def __init__(self, url: str, key: str, context: ssl.SSLContext):
        self.url, self.key, self.context = url.rstrip("/"), key, context

    def call(self, method: str, path: str, body: object = None, keyed: bool = True) -> tuple[int, object]:
        """(status, decoded JSON body) of one request; any status is an answer, not an error."""
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if keyed:
            headers["Authorization"] = f"Bearer {self.key}"
        request = urllib.request.Request(self.url + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS, context=self.context) as answer:
                return answer.status, _json(answer.read())
        except urllib.error.HTTPError as error:
            return error.code, _json(error.read())
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            raise CheckFailed(f"{method} {path}: no answer ({getattr(error, 'reason', error)})") from error

    def example_customer(self) -> dict:
        """The request body the API documents for POST /appetence."""
        status, document = self.call("GET", "/openapi.json", keyed=False)
        expect(status == 200, f"GET /openapi.json answered {status}")
        try:
            return document["paths"]["/appetence"]["post"]["requestBody"]["content"]["application/json"][
                "example"
            ]
        except (KeyError, TypeError) as error:
            raise CheckFailed(f"/openapi.json documents no example for POST /appetence ({error})") from error


def _json(raw: bytes) -> object:
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")[:200]


def expect(condition: bool, finding: str) -> None:
    if not condition:
        raise CheckFailed(finding)


def probability(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1


def ready(api: Api) -> None:
    status, body = api.call("GET", "/ready", keyed=False)
    expect(status == 200, f"GET /ready answered {status}: {body}")


def score(api: Api) -> None:
    status, body = api.call("POST", "/appetence", api.example_customer())
    expect(status == 200, f"POST /appetence answered {status}: {body}")
    expect(probability(body.get("appetence")), f"POST /appetence gave no probability: {body}")


def batch(api: Api) -> None:
    customers = [api.example_customer()] * BATCH_SIZE
    status, body = api.call("POST", "/appetence/batch", {"customers": customers})
    expect(status == 200, f"POST /appetence/batch answered {status}: {body}")
    results = body.get("results", []) if isinstance(body, dict) else []
    expect(len(results) == BATCH_SIZE, f"{len(results)} results for {BATCH_SIZE} customers: {body}")
    unscored = [row for row in results if not (isinstance(row, dict) and probability(row.get("appetence")))]
    if unscored:  # a row the API could not score carries its own problem beside the others' scores
        first = unscored[0]
        why = first.get("problem") or first if isinstance(first, dict) else first
        raise CheckFailed(f"{len(unscored)} of {BATCH_SIZE} rows unscored, the first: {why}")


def unauthorized(api: Api) -> None:
    status, body = api.call("POST", "/appetence", {}, keyed=False)
    expect(status == 401, f"POST /appetence without a key answered {status}, not 401: {body}")


CHECKS: dict[str, Callable[[Api], None]] = {
    "ready": ready,
    "score": score,
    "batch": batch,
    "unauthorized": unauthorized,
}


def run(api: Api, out=sys.stdout) -> list[str]:
    """Runs every check, printing each outcome; returns the names of the failed ones."""
    failed = []
    for name, check in CHECKS.items():
        try:
            check(api)
        except CheckFailed as finding:
            failed.append(name)
            print(f"FAILED {name}: {finding}", file=out, flush=True)
        else:
            print(f"ok {name}", file=out, flush=True)
    return failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="the API's base URL, e.g. https://DOMAIN")
    parser.add_argument("--cacert", help="trust this certificate (a self-signed edge), not the system CAs")
    args = parser.parse_args(argv)
    key = os.environ.get(KEY_VARIABLE)
    if not key:
        parser.error(f"set ${KEY_VARIABLE} to an API key with the scoring scope")
    api = Api(args.url, key, ssl.create_default_context(cafile=args.cacert))
    failed = run(api)
    if failed:
        print(f"smoke: {args.url} failed: {', '.join(failed)}", flush=True)
        return 1
    print(f"smoke: {args.url} passed {len(CHECKS)} checks", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
