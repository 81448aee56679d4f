#!/usr/bin/env python3
"""Fixtures for tests/AmuroChar.Tests/Randomness/NumpyRandomTests.cs: what numpy's default_rng computes.

Run with Debian's python3-numpy (apt install python3-numpy; /usr/bin/python3):
    /usr/bin/python3 tools/numpy_fixtures.py > tests/AmuroChar.Tests/Randomness/Fixtures/numpy_permutations.json
For each seed: SeedSequence(seed).generate_state(4, uint64), PCG64(seed).random_raw(8), and for each length the first
(up to) 100 indices of default_rng(seed).permutation(n) with the SHA-256 of the whole permutation as little-endian
int64 (what datasets' Dataset.shuffle(seed=...) permutes rows by). 392,702 is MNLI's training split.
"""
import hashlib
import json

import numpy as np

SEEDS = [0, 1, 42, 43, 2**32 + 5, 12345678901234567890]
LENGTHS = [0, 1, 2, 10, 1000, 6000, 87599, 392702]

cases = []
for seed in SEEDS:
    lengths = []
    for n in LENGTHS:
        perm = np.random.default_rng(seed).permutation(n).astype("<i8")
        lengths.append({"n": n, "head": perm[:100].tolist(), "sha256": hashlib.sha256(perm.tobytes()).hexdigest()})
    cases.append({
        "seed": str(seed),
        "state": [str(w) for w in np.random.SeedSequence(seed).generate_state(4, np.uint64).tolist()],
        "raw": [str(w) for w in np.random.PCG64(seed).random_raw(8).tolist()],
        "permutations": lengths,
    })
print(json.dumps({"numpy": np.__version__, "cases": cases}, indent=1))
