"""Slow clients as an attacker runs them, and a legitimate client measured meanwhile.

A header trickler sends a request line and then one header line per interval, never the blank line
that ends the header; a body trickler sends a complete header with a valid key, announcing a body,
and then one byte of it per interval (so the app reads the body instead of refusing at once).
Whenever the server cuts one, it reconnects, so the pressure stays for the whole run. The
legitimate client calls `/appetence` (with its key) and `/health` in turn, each with a timeout, and
records every latency and failure.

`python -m tests.resilience.slow_clients` runs the attack against the demo app served directly by
gunicorn and prints what the legitimate client saw (without an edge in front of the sync workers).
"""

import argparse
import asyncio
import contextlib
import ssl
import statistics
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

import requests

from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.api_keys import DEMO_KEY

ANNOUNCED_BODY_BYTES = 60_000


@dataclass
class Trickle:
    """`connections` connections trickling `part` ("headers" or "body"), one piece per `interval` s."""

    part: str
    connections: int
    interval: float


@dataclass
class Tally:
    """What the tricklers saw: connections opened, and how long the server let each cut one live."""

    opened: int = 0
    lifetimes: list[float] = field(default_factory=list)

    @property
    def cut(self) -> int:
        return len(self.lifetimes)


@dataclass
class Calls:
    """The legitimate client's calls: (path, seconds) when answered 2xx, else (path, reason)."""

    answered: list[tuple[str, float]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    def p99(self) -> float:
        latencies = sorted(seconds for _, seconds in self.answered)
        if len(latencies) < 2:
            return latencies[0] if latencies else float("inf")
        return statistics.quantiles(latencies, n=100)[98]

    def summary(self, path: str) -> str:
        answered = [seconds for called, seconds in self.answered if called == path]
        failed = [reason for called, reason in self.failed if called == path]
        slowest = f", slowest {max(answered):.2f} s" if answered else ""
        return f"{path}: {len(answered)} of {len(answered) + len(failed)} answered{slowest}"


def attack(
    url: str,
    trickles: list[Trickle],
    seconds: float,
    authorization: dict[str, str],
    pause: float = 0.0,
    timeout: float = 5.0,
    verify: bool | str = True,
) -> tuple[dict[str, Tally], Calls]:
    """Run the tricklers against `url` for `seconds` while the legitimate client calls it every
    `pause` seconds (verifying TLS with `verify`: True, or a certificate's path); both stop together."""
    calls = Calls()
    stop = threading.Event()
    client = threading.Thread(
        target=_legitimate_client, args=(url, authorization, calls, stop, pause, timeout, verify)
    )
    client.start()
    try:
        tallies = asyncio.run(_trickle_all(url, trickles, seconds, authorization))
    finally:
        stop.set()
        client.join()
    return tallies, calls


def _legitimate_client(url, authorization, calls, stop, pause, timeout, verify) -> None:
    with requests.Session() as session:
        while not stop.is_set():
            for path in ("/appetence", "/health"):
                started = time.perf_counter()
                try:
                    if path == "/appetence":
                        answer = session.post(
                            url + path,
                            json=EXAMPLE_REQUEST,
                            headers=authorization,
                            timeout=timeout,
                            verify=verify,
                        )
                    else:
                        answer = session.get(url + path, timeout=timeout, verify=verify)
                except requests.RequestException as error:
                    calls.failed.append((path, f"{type(error).__name__}: {error}"))
                    continue
                if 200 <= answer.status_code < 300:
                    calls.answered.append((path, time.perf_counter() - started))
                else:
                    calls.failed.append((path, f"HTTP {answer.status_code}"))
            stop.wait(pause)


async def _trickle_all(
    url: str, trickles: list[Trickle], seconds: float, authorization: dict[str, str]
) -> dict[str, Tally]:
    address = urllib.parse.urlsplit(url)
    tls = _insecure_context() if address.scheme == "https" else None
    deadline = time.monotonic() + seconds
    tallies = {trickle.part: Tally() for trickle in trickles}
    tasks = [
        _trickler(
            address.hostname, address.port, tls, trickle, tallies[trickle.part], deadline, authorization
        )
        for trickle in trickles
        for _ in range(trickle.connections)
    ]
    await asyncio.gather(*tasks)
    return tallies


async def _trickler(host, port, tls, trickle: Trickle, tally: Tally, deadline: float, authorization) -> None:
    """One slow connection after another until the deadline."""
    while time.monotonic() < deadline:
        opened = time.monotonic()
        try:
            reader, writer = await asyncio.open_connection(host, port, ssl=tls)
        except OSError:
            await asyncio.sleep(0.5)
            continue
        tally.opened += 1
        cut = await _send_slowly(reader, writer, trickle, deadline, authorization)
        if cut:
            tally.lifetimes.append(time.monotonic() - opened)
        writer.close()
        with contextlib.suppress(OSError, ssl.SSLError):
            await writer.wait_closed()


async def _send_slowly(reader, writer, trickle: Trickle, deadline: float, authorization) -> bool:
    """Trickle until the server closes or answers (True) or the deadline passes (False)."""
    head = f"POST /appetence HTTP/1.1\r\nHost: {writer.get_extra_info('peername')[0]}\r\n"
    if trickle.part == "body":
        head += "".join(f"{name}: {value}\r\n" for name, value in authorization.items())
        head += f"Content-Type: application/json\r\nContent-Length: {ANNOUNCED_BODY_BYTES}\r\n\r\n"
    pieces = (b"{" if trickle.part == "body" else f"X-Slow-{n}: 1\r\n".encode() for n in range(10**9))
    try:
        writer.write(head.encode())
        await writer.drain()
        for piece in pieces:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            try:
                # Whatever the server sends (an error, or EOF when it closes) ends the attempt.
                await asyncio.wait_for(reader.read(4096), min(trickle.interval, remaining))
                return True
            except TimeoutError:
                pass
            writer.write(piece)
            await writer.drain()
    except (OSError, ssl.SSLError):
        return True
    return False


def _insecure_context() -> ssl.SSLContext:
    """The tricklers attack the edge's self-signed certificate: no verification is intended."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def main(argv: list[str] | None = None) -> int:
    from tests.resilience.demo_app import demo_app

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--headers", type=int, default=20, help="header tricklers (default 20)")
    parser.add_argument("--bodies", type=int, default=0, help="body tricklers (default 0)")
    parser.add_argument("--interval", type=float, default=5, help="seconds between pieces (default 5)")
    parser.add_argument("--probe-every", type=float, default=10, help="legitimate calls' period (default 10)")
    args = parser.parse_args(argv)
    trickles = [
        Trickle("headers", args.headers, args.interval),
        Trickle("body", args.bodies, args.interval),
    ]
    with demo_app() as app:
        authorization = {"Authorization": f"Bearer {DEMO_KEY}"}
        tallies, calls = attack(app.url, trickles, args.seconds, authorization, pause=args.probe_every)
    print(f"direct gunicorn, {args.headers} header and {args.bodies} body tricklers, {args.seconds:g} s:")
    for part, tally in tallies.items():
        print(f"  {part} tricklers: {tally.opened} connections, {tally.cut} cut by the server")
    print(f"  {calls.summary('/appetence')}; {calls.summary('/health')} (timeout 5 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
