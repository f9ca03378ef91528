"""Small typed readers for environment variables, used by settings and the web server's launcher (``serve``).

Each reader raises ImproperlyConfigured with the variable's name when a value
cannot be parsed or falls outside its range, so a bad deployment fails at
start-up with a message that says what to fix.
"""

import ipaddress
import os
import re

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "", *, aliases: tuple[str, ...] = ()) -> str:
    for key in (name, *aliases):
        value = os.environ.get(key)
        if value is not None and value != "":
            return value
    return default


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    aliases: tuple[str, ...] = (),
) -> int:
    raw = env_str(name, "", aliases=aliases)
    if raw == "":
        value = default
    else:
        try:
            value = int(raw)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        low = "" if minimum is None else str(minimum)
        high = "" if maximum is None else str(maximum)
        raise ImproperlyConfigured(f"{name} must be {low}..{high}, got {value}")
    return value


def env_float(name: str, default: float, *, minimum: float = 0.0) -> float:
    raw = env_str(name, "")
    try:
        value = default if raw == "" else float(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, got {raw!r}") from exc
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be >= {minimum}, got {value}")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = env_str(name, "").strip().lower()
    if raw == "":
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {raw!r}")


RATE = re.compile(r"^[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)$")


def env_rate(name: str, default: str) -> str:
    """A rate limit such as ``6000/min`` (per second, minute, hour or day), or "" for
    none, written ``off``. Empty or unset is ``default``, as for every variable."""
    value = env_str(name, default).strip()
    if value.lower() == "off":
        return ""
    if not RATE.match(value):
        example = "a rate such as 6000/min (N/s, N/min, N/hour, N/day), or off"
        raise ImproperlyConfigured(f"{name} must be {example}")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def parse_server(entry: str, name: str, default_port: int) -> tuple[str, int]:
    """``(ip, port)`` from ``ip``, ``ip:port`` or ``[ipv6]:port``, for a list variable ``name``."""
    try:
        if entry.startswith("["):
            host, _, port = entry[1:].partition("]")
            port = port.removeprefix(":")
        elif entry.count(":") == 1:
            host, _, port = entry.partition(":")
        else:
            host, port = entry, ""
        address = str(ipaddress.ip_address(host))
        number = int(port) if port else default_port
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: {entry!r} is not an IP address or IP:port") from exc
    if not 0 < number < 65536:
        raise ImproperlyConfigured(f"{name}: {entry!r} has an invalid port")
    return address, number


def parse_pcrs(value: str) -> dict[int, bytes]:
    """``"0:<hex>,1:<hex>"`` as {PCR index: value}; ImproperlyConfigured if malformed."""
    pcrs: dict[int, bytes] = {}
    for entry in (item.strip() for item in value.split(",")):
        if not entry:
            continue
        index, _, digest = entry.partition(":")
        try:
            pcrs[int(index)] = bytes.fromhex(digest.removeprefix("0x"))
        except ValueError as exc:
            raise ImproperlyConfigured(f"TEE_PCRS: {entry!r} is not <index>:<hex>") from exc
        if not 0 <= int(index) < 32 or len(pcrs[int(index)]) not in (32, 48, 64):
            raise ImproperlyConfigured(f"TEE_PCRS: {entry!r} is not a PCR index 0-31 and a 32-64 byte value")
    return pcrs
