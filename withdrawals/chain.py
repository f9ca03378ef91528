"""The chain, behind one small interface: the Merkle path of a note for a relay.

``LocalChain`` is a deterministic stand-in (the only fake part of the
pipeline): the blockchain cannot run here. A real deployment implements
``MerkleSource`` against the privacy pool contract.
"""

import hashlib
from dataclasses import dataclass
from typing import Protocol

TREE_HEIGHT = 13
ARITY = 7


@dataclass(frozen=True)
class MerkleProof:
    path: list[list[str]]
    root: str


class MerkleSource(Protocol):
    def merkle_proof(self, leaf_index: int) -> MerkleProof: ...


class LocalChain:
    """Derives a stable path and root from the leaf index."""

    def merkle_proof(self, leaf_index: int) -> MerkleProof:
        def node(level: int, slot: int) -> str:
            digest = hashlib.sha256(f"{leaf_index}:{level}:{slot}".encode()).hexdigest()
            return "0x" + digest

        path = [[node(level, slot) for slot in range(ARITY)] for level in range(TREE_HEIGHT)]
        root = "0x" + hashlib.sha256(f"root:{leaf_index}".encode()).hexdigest()
        return MerkleProof(path=path, root=root)


def get_chain() -> MerkleSource:
    return LocalChain()
