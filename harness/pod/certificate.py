"""A self-signed certificate for the local edge, made on the fly with the openssl command line: the
pod gets its certificate from a Secret, a local run only needs one that TLS clients accept with -k."""

import shutil
import subprocess
from pathlib import Path


def self_signed(directory: Path) -> tuple[Path, Path]:
    """tls.crt and tls.key (the names of a kubernetes.io/tls Secret) for 127.0.0.1 and localhost."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise FileNotFoundError("`openssl` is not installed: install it (Debian: apt-get install openssl)")
    certificate, key = directory / "tls.crt", directory / "tls.key"
    subprocess.run(
        [
            openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout", str(key), "-out", str(certificate),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return certificate, key
