"""Logs on EVM chains: the JSON-RPC client the poll talks through (``rpc``), the pure scan
logic (``scan``: ranges, filters, matching, reorganisations), and a local chain for runs
and tests (``ledger`` holds its blocks, ``simulator`` serves it over JSON-RPC)."""
