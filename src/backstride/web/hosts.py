"""Which addresses are this computer: light enough for the command line to import at
start (``backstride serve`` checks its ``--host``; the web app decides whether a cookie
may go without ``Secure``)."""

from __future__ import annotations

import ipaddress


def is_loopback(host: str) -> bool:
    """Whether only this computer can reach ``host`` (127.0.0.0/8, ::1, localhost)."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False
