import base64
import json
import secrets
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tee.client import TeeClient
from tee.crypto import seal_withdrawal
from tee.errors import AttestationError, TeeError
from tee.pool import pool_from_settings

NATIVE_TOKEN = "0x" + "00" * 20


def relay_time(value: str) -> int:
    """Unix seconds, or ``+N`` for N seconds from now."""
    try:
        return int(time.time()) + int(value[1:]) if value.startswith("+") else int(value)
    except ValueError as exc:
        raise CommandError(f"--relay-after must be unix seconds or +N, got {value!r}") from exc


def hex_bytes(value: str) -> bytes:
    try:
        return bytes.fromhex(value.removeprefix("0x"))
    except ValueError as exc:
        raise CommandError(f"--memo must be 0x-hex, got {value!r}") from exc


class Command(BaseCommand):
    help = (
        "Seal a withdrawal to the TEE's attested key and print the body of POST /schedule_withdraw "
        "as one line of JSON (pipe it to curl -d @-)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--relay-after", required=True, help="unix seconds, or +N for N seconds from now")
        parser.add_argument("--last-note-index", type=int, default=12345)
        parser.add_argument("--max-relayer-fee", type=int, default=10**18)
        parser.add_argument("--amount", type=int, default=10**17, help="withdrawal value, fees included")
        parser.add_argument("--withdraw-address", default="0x00000000000000000000000000000000DeaDBeef")
        parser.add_argument("--nullifier-old", type=int, help="default: random")
        parser.add_argument("--nullifier-new", type=int, help="default: random")
        parser.add_argument("--account-id", type=int, help="default: random")
        parser.add_argument(
            "--account-old-balance", type=int, default=10**18, help="the account's balance before"
        )
        parser.add_argument("--chain-id", type=int, default=2039)
        parser.add_argument("--token-address", default=NATIVE_TOKEN)
        parser.add_argument("--pocket-money", type=int, default=0)
        parser.add_argument("--protocol-fee", type=int, default=0)
        parser.add_argument("--memo", default="0x", help="0x-hex bytes")

    def handle(self, *args: Any, **options: Any) -> None:
        relay_after = relay_time(options["relay_after"])
        pool = pool_from_settings()
        try:
            public_key = TeeClient(pool).public_key()
        except (TeeError, AttestationError) as exc:
            raise CommandError(f"cannot get an attested TEE public key: {type(exc).__name__}: {exc}") from exc
        finally:
            pool.close()
        try:
            envelope = seal_withdrawal(
                public_key.public_key_der,
                account_id=_or_random(options["account_id"]),
                account_old_balance=options["account_old_balance"],
                nullifier_old=_or_random(options["nullifier_old"]),
                nullifier_new=_or_random(options["nullifier_new"]),
                last_note_index=options["last_note_index"],
                chain_id=options["chain_id"],
                token_address=options["token_address"],
                withdrawal_value=options["amount"],
                withdraw_address=options["withdraw_address"],
                pocket_money=options["pocket_money"],
                protocol_fee=options["protocol_fee"],
                memo=hex_bytes(options["memo"]),
                max_relayer_fee=options["max_relayer_fee"],
                relay_after=relay_after,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        body = {
            "payload": base64.b64encode(envelope.to_payload()).decode(),
            "last_note_index": str(options["last_note_index"]),
            "max_relayer_fee": str(options["max_relayer_fee"]),
            "relay_after": relay_after,
        }
        self.stdout.write(json.dumps(body, separators=(",", ":")))


def _or_random(value: int | None) -> int:
    return secrets.randbits(253) if value is None else value
