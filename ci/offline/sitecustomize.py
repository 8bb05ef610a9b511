"""Network guard for test runs: Python processes started with this folder on PYTHONPATH (the
test run and every notebook kernel it starts) may connect only to this machine.

`make test` sets PYTHONPATH to this folder, so the whole course is tested offline: a notebook or
function that tried to download something would fail with "network access blocked".
"""

import ipaddress
import socket

_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex


def is_local(address) -> bool:
    """True for a Unix socket path or a loopback host (127.0.0.0/8, ::1, localhost)."""
    if not isinstance(address, tuple):
        return True  # AF_UNIX path
    host = str(address[0]).split("%")[0]
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name other than localhost would need DNS and the network


def _refuse(address):
    raise OSError(f"network access blocked during tests: connection to {address!r} refused")


def guarded_connect(self, address):
    if not is_local(address):
        _refuse(address)
    return _connect(self, address)


def guarded_connect_ex(self, address):
    if not is_local(address):
        _refuse(address)
    return _connect_ex(self, address)


socket.socket.connect = guarded_connect
socket.socket.connect_ex = guarded_connect_ex
