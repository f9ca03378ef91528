"""CORS: a wallet page on another origin uses the public withdrawal routes from a real
browser (Debian's chromium), sealing in the page as the original's clients do; the
API-key routes and the admin stay closed to other origins unless configured."""

import os
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import sync_playwright
from rest_framework.test import APIClient

from tee.crypto import EncryptionEnvelope, unseal
from tee.payload import WithdrawalPayload
from withdrawals.models import ScheduledRequest

ORIGIN = "http://wallet.example"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")  # Debian's, as make test installs it

# The wallet: fetch the key, seal the withdrawal with WebCrypto (RSA-OAEP-SHA256 wraps an
# AES-256-GCM key), post it with the original's number forms and envelope object.
PAGE = """<!doctype html><title>wallet</title><script>
const b64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)));
const unb64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
async function schedule(service) {
  const key = await (await fetch(service + "/public_key")).json();
  const rsa = await crypto.subtle.importKey("spki", unb64(key.TeePublicKey.public_key),
    {name: "RSA-OAEP", hash: "SHA-256"}, false, ["encrypt"]);
  const relayAfter = Math.floor(Date.now() / 1000) + 3600;
  const hex = (n) => "0x" + BigInt(n).toString(16);
  const withdrawal = {
    account_id: hex(7), account_old_balance: hex(10n ** 18n), nullifier_old: hex(11), nullifier_new: hex(12),
    last_note_index: hex(12345), mac_salt: hex(99), contract_version: "0x000101", chain_id: hex(2039),
    token_address: "0x" + "00".repeat(20), withdrawal_value: hex(10n ** 17n),
    withdraw_address: "0x" + "ab".repeat(20), pocket_money: hex(0), protocol_fee: hex(0), memo: "0x",
    max_relayer_fee: hex(10n ** 18n), relay_after: hex(relayAfter),
  };
  const dek = crypto.getRandomValues(new Uint8Array(32));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const aes = await crypto.subtle.importKey("raw", dek, "AES-GCM", false, ["encrypt"]);
  const sealed = new Uint8Array(await crypto.subtle.encrypt({name: "AES-GCM", iv},
    aes, new TextEncoder().encode(JSON.stringify(withdrawal))));
  const body = {
    encryption_envelope: {
      encrypted_payload: b64(sealed.slice(0, -16)), auth_tag: b64(sealed.slice(-16)), iv: b64(iv),
      encrypted_dek: b64(await crypto.subtle.encrypt({name: "RSA-OAEP"}, rsa, dek)),
    },
    last_note_index: "0x3039", max_relayer_fee: 1000000000000000000, relay_after: relayAfter,
  };
  const answer = await fetch(service + "/schedule_withdraw", {method: "POST",
    headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
  return {status: answer.status, body: await answer.json()};
}
async function timers(service) {
  try { return (await fetch(service + "/timers", {headers: {"X-API-Key": "k"}})).status; }
  catch (error) { return "blocked"; }
}
</script>"""


@pytest.fixture
def wallet_page() -> Iterator[str]:
    """The wallet's page, served from another origin than the service."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = PAGE.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/wallet"  # the service is on localhost:<other port>
    server.shutdown()


def test_a_wallet_page_on_another_origin_schedules_a_withdrawal_in_chromium(live_server, tee, wallet_page):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(wallet_page)
            answer = page.evaluate("(service) => schedule(service)", live_server.url)
            timers = page.evaluate("(service) => timers(service)", live_server.url)
        finally:
            browser.close()

    assert answer["status"] == 201, answer
    assert set(answer["body"]) == {"request_id", "message", "status_token"}
    stored = ScheduledRequest.objects.get(pk=answer["body"]["request_id"])
    assert (stored.last_note_index, stored.max_relayer_fee) == ("12345", str(10**18))
    # What the page sealed opens in the simulator, field for field.
    opened = WithdrawalPayload.from_plaintext(
        unseal(tee.private_key, EncryptionEnvelope.from_payload(bytes(stored.payload)))
    )
    assert (opened.account_old_balance, opened.last_note_index, opened.chain_id) == (10**18, 12345, 2039)
    assert opened.relay_after > time.time()
    # The timers API sends no CORS headers to that origin: the browser blocks the answer.
    assert timers == "blocked"


def preflight(client: APIClient, path: str, origin: str = ORIGIN) -> dict[str, str]:
    response = client.options(path, HTTP_ORIGIN=origin, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
                              HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type")  # fmt: skip
    return {k.lower(): v for k, v in response.headers.items()}


@pytest.mark.django_db
def test_public_routes_answer_any_origin_and_the_rest_none_by_default():
    client = APIClient()
    for path in ("/public_key", "/schedule_withdraw", "/withdrawals/some-token", "/health"):
        assert preflight(client, path).get("access-control-allow-origin") == "*", path
    for path in ("/timers", "/jobs", "/api/admin/tenants", "/admin/", "/metrics", "/public/stats"):
        assert "access-control-allow-origin" not in preflight(client, path), path


@pytest.mark.django_db
def test_configured_origins_narrow_the_public_routes_and_open_the_api(settings):
    settings.CORS_ALLOW_ALL_ORIGINS = False
    settings.CORS_ALLOWED_ORIGINS = ["https://wallet.example"]
    settings.CORS_API_ALLOWED_ORIGINS = ["https://console.example"]
    client = APIClient()

    assert preflight(client, "/schedule_withdraw", "https://wallet.example")[
        "access-control-allow-origin"
    ] == ("https://wallet.example")
    assert "access-control-allow-origin" not in preflight(
        client, "/schedule_withdraw", "https://evil.example"
    )
    api = preflight(client, "/timers", "https://console.example")
    assert api["access-control-allow-origin"] == "https://console.example"
    assert "x-api-key" in api["access-control-allow-headers"]
    assert "access-control-allow-origin" not in preflight(client, "/timers", "https://wallet.example")
    assert "access-control-allow-origin" not in preflight(
        client, "/api/admin/tenants", "https://console.example"
    )
