"""The withdrawal sealed inside an envelope: what only the client and the TEE can read.

It is the original's ``Payload``, field for field and in its order, serialized as
its serde does: 256-bit numbers (U256) as ``0x`` lowercase hex without leading zeros
(``"0x0"`` for zero), addresses and byte strings as ``0x`` hex. Read leniently, as
U256 deserializes: ``0x`` hex, decimal strings or JSON integers. It carries
``max_relayer_fee`` and ``relay_after`` again, so the TEE can refuse a higher fee or
an earlier relay even if the server lied about them.
"""

import json
import re
from dataclasses import asdict, dataclass, fields
from typing import Any

U256_MAX = 2**256 - 1
CONTRACT_VERSION = "0x000101"
DECIMAL = re.compile(r"[0-9]{1,78}")
U256_HEX = re.compile(r"0x[0-9a-fA-F]{1,64}")
ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")
HEX_BYTES = re.compile(r"0x(?:[0-9a-fA-F]{2})*")
CONTRACT_VERSION_HEX = re.compile(r"0x[0-9a-fA-F]{6}")


@dataclass(frozen=True)
class WithdrawalPayload:
    account_id: int
    account_old_balance: int
    nullifier_old: int
    nullifier_new: int
    last_note_index: int
    mac_salt: int
    contract_version: str
    chain_id: int
    token_address: str
    withdrawal_value: int
    withdraw_address: str
    pocket_money: int
    protocol_fee: int
    memo: bytes
    max_relayer_fee: int
    relay_after: int

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if field.type is int and (isinstance(value, bool) or not isinstance(value, int)):
                raise ValueError(f"{field.name} must be an integer")
            if field.type is int and not 0 <= value <= U256_MAX:
                raise ValueError(f"{field.name} must be between 0 and 2^256-1")
        for name in ("token_address", "withdraw_address"):
            if not isinstance(getattr(self, name), str) or not ADDRESS.fullmatch(getattr(self, name)):
                raise ValueError(f"{name} must be 0x followed by 40 hex digits")
        if not isinstance(self.contract_version, str) or not CONTRACT_VERSION_HEX.fullmatch(
            self.contract_version
        ):
            raise ValueError("contract_version must be 0x followed by 6 hex digits")
        if not isinstance(self.memo, bytes):
            raise ValueError("memo must be bytes")

    def to_plaintext(self) -> bytes:
        """JSON as the original's serde writes it (``0x`` hex for numbers and bytes)."""
        body: dict[str, str] = {}
        for name, value in asdict(self).items():
            if isinstance(value, bytes):
                body[name] = "0x" + value.hex()
            elif isinstance(value, int):
                body[name] = hex(value)
            else:
                body[name] = value
        return json.dumps(body, separators=(",", ":")).encode()

    @classmethod
    def from_plaintext(cls, plaintext: bytes) -> "WithdrawalPayload":
        """Parse a decrypted payload; raise ValueError naming the first bad field."""
        try:
            body = json.loads(plaintext.decode("utf-8"))
        except ValueError as exc:
            raise ValueError(f"the withdrawal is not UTF-8 JSON: {exc}") from exc
        if not isinstance(body, dict):
            raise ValueError("the withdrawal must be a JSON object")
        missing = [field.name for field in fields(cls) if field.name not in body]
        if missing:
            raise ValueError(f"the withdrawal lacks {', '.join(missing)}")
        values: dict[str, Any] = {}
        for field in fields(cls):
            raw = body[field.name]
            if field.type is int:
                values[field.name] = read_u256(field.name, raw)
                continue
            if not isinstance(raw, str):
                raise ValueError(f"{field.name} must be a string")
            if field.type is bytes:
                if not HEX_BYTES.fullmatch(raw):
                    raise ValueError(f"{field.name} must be 0x-hex bytes")
                values[field.name] = bytes.fromhex(raw[2:])
            else:
                values[field.name] = raw
        return cls(**values)


def read_u256(name: str, raw: Any) -> int:
    """A U256 as the original's serde reads it: ``0x`` hex, a decimal string or a JSON
    integer, within 0..2^256-1."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, str) and U256_HEX.fullmatch(raw):
        value = int(raw[2:], 16)
    elif isinstance(raw, str) and DECIMAL.fullmatch(raw):
        value = int(raw)
    else:
        raise ValueError(f"{name} must be a 256-bit unsigned integer (0x hex, decimal string or integer)")
    if not 0 <= value <= U256_MAX:
        raise ValueError(f"{name} must be between 0 and 2^256-1")
    return value
