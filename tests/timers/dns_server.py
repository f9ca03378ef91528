"""A DNS server on loopback UDP whose answers a test scripts, for the SSRF guard's tests."""

import socket
import threading

import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset


class ScriptedDns:
    """Answers A and AAAA queries from ``answers``: name -> one address list per resolution,
    in turn (the last repeats). A resolution is the A query and the AAAA one after it."""

    def __init__(self, answers: dict[str, list[list[str]]], *, silent: bool = False) -> None:
        self.answers = answers
        self.silent = silent
        self.resolutions: dict[str, int] = {}
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.address = ("127.0.0.1", int(self.sock.getsockname()[1]))
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while True:
            try:
                data, peer = self.sock.recvfrom(4096)
            except OSError:
                return
            if not self.silent:
                self.sock.sendto(self._answer(dns.message.from_wire(data)).to_wire(), peer)

    def _answer(self, query: dns.message.Message) -> dns.message.Message:
        response = dns.message.make_response(query)
        question = query.question[0]
        name = question.name.to_text(omit_final_dot=True)
        if name not in self.answers:
            response.set_rcode(dns.rcode.NXDOMAIN)
            return response
        if question.rdtype == dns.rdatatype.A:
            self.resolutions[name] = self.resolutions.get(name, 0) + 1
        turns = self.answers[name]
        addresses = turns[min(self.resolutions.get(name, 1), len(turns)) - 1]
        wanted = [a for a in addresses if (":" in a) == (question.rdtype == dns.rdatatype.AAAA)]
        if wanted:
            kind = dns.rdatatype.to_text(question.rdtype)
            response.answer.append(dns.rrset.from_text(question.name, 0, "IN", kind, *wanted))
        return response

    def __enter__(self) -> "ScriptedDns":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.sock.close()
