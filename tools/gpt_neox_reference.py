#!/usr/bin/env python3
"""An independent GPT-NeoX (Pythia) reference: per-token log-probabilities of a token sequence.

Usage:
    /usr/bin/python3 tools/gpt_neox_reference.py MODEL_DIR --ids 1,2,3 [--dtype float64|float32]
    /usr/bin/python3 tools/gpt_neox_reference.py --write-fixtures tests/AmuroChar.Tests/Model/Fixtures/gpt_neox

The first form prints {"tokens": [...], "logprobs": [...]} (logprobs[i] = log p(tokens[i+1] | tokens[..i])), as
`amurochar logprobs` and tools/olmo_reference.py do. The second reads every model directory under the folder (written
by the C# side, see GptNeoXTests.cs) and writes its expected.json: a few seeded token sequences and their logprobs.

Written from the architecture's description, not from transformers' modeling_gpt_neox.py, so that it checks the
TorchSharp model rather than sharing its mistakes: the fused query_key_value rows are read as [heads, 3, head_dim];
rotary positions turn the first int(head_dim * rotary_pct) dimensions of q and k as pairs (i, i + rotary_ndims/2) by
angle position / base^(2i/rotary_ndims) and leave the rest; attention is causal, scaled by 1/sqrt(head_dim), with an
explicit softmax; LayerNorm, the exact erf GELU and the log-softmax are spelled out; the residual is parallel
(x + attn(ln1(x)) + mlp(ln2(x))) or sequential per use_parallel_residual. It computes in float64 by default, so a
difference to the model is the model's own fp32 rounding. model.safetensors is parsed by hand (8-byte little-endian
header length, JSON header, raw little-endian tensors). Needs python3, numpy and torch (Debian: python3-torch).
"""
import argparse, json, math, os, struct, sys

import numpy as np
import torch

NUMPY = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "i1", "U8": "u1", "BOOL": "?"}

# Tensors older transformers versions saved although they are recomputed from the config.
BUFFER_SUFFIXES = (".attention.bias", ".attention.masked_bias", ".attention.rotary_emb.inv_freq")


def read_safetensors(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n).decode("utf-8"))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = data[begin:end]
        if info["dtype"] == "BF16":  # the upper half of an IEEE float32
            array = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            array = np.frombuffer(raw, dtype=NUMPY[info["dtype"]])
        tensors[name] = torch.from_numpy(array.reshape(info["shape"]).copy())
    return tensors


def load_weights(model_dir):
    single = os.path.join(model_dir, "model.safetensors")
    if os.path.exists(single):
        return read_safetensors(single)
    index = json.load(open(os.path.join(model_dir, "model.safetensors.index.json")))
    weights = {}
    for shard in sorted(set(index["weight_map"].values())):
        weights.update(read_safetensors(os.path.join(model_dir, shard)))
    return weights


def rotary_settings(cfg):
    """(base, fraction) whichever way config.json spells them (Pythia: rotary_emb_base, rotary_pct)."""
    rope = cfg.get("rope_parameters") or {}
    base = rope.get("rope_theta", cfg.get("rope_theta", cfg.get("rotary_emb_base", 10000.0)))
    fraction = rope.get("partial_rotary_factor", cfg.get("partial_rotary_factor", cfg.get("rotary_pct", 0.25)))
    return float(base), float(fraction)


class GptNeoX:
    def __init__(self, cfg, weights, dtype=torch.float64):
        if cfg.get("model_type") != "gpt_neox":
            raise ValueError(f"model_type {cfg.get('model_type')!r} is not gpt_neox")
        if cfg.get("hidden_act", "gelu") != "gelu" or cfg.get("rope_scaling") or cfg.get("tie_word_embeddings", False):
            raise ValueError("only hidden_act gelu, no rope_scaling and untied embeddings are implemented")
        self.cfg, self.dtype = cfg, dtype
        self.w = {k: v.to(dtype) for k, v in weights.items() if not k.endswith(BUFFER_SUFFIXES) and "inv_freq" not in k}
        self.d = cfg["hidden_size"]
        self.heads = cfg["num_attention_heads"]
        self.head_dim = self.d // self.heads
        self.base, fraction = rotary_settings(cfg)
        self.rot = int(self.head_dim * fraction)
        self.eps = cfg.get("layer_norm_eps", 1e-5)
        self.parallel = cfg.get("use_parallel_residual", True)

    def linear(self, x, name, bias=True):
        y = x @ self.w[name + ".weight"].T
        b = self.w.get(name + ".bias")
        return y + b if bias and b is not None else y

    def layer_norm(self, x, name):
        mean = x.mean(-1, keepdim=True)
        var = ((x - mean) ** 2).mean(-1, keepdim=True)  # biased, as LayerNorm
        return (x - mean) / torch.sqrt(var + self.eps) * self.w[name + ".weight"] + self.w[name + ".bias"]

    @staticmethod
    def gelu(x):
        return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))

    def rotate(self, x, positions):
        """x [B, H, T, head_dim]; the pair (i, i + rot/2) of the first rot dims turns by positions * base^(-2i/rot)."""
        half = self.rot // 2
        inv_freq = self.base ** (-torch.arange(0, half, dtype=torch.float64) * 2.0 / self.rot)
        angle = (positions.to(torch.float64)[:, None, :, None] * inv_freq).to(self.dtype)  # [B, 1, T, half]
        cos, sin = angle.cos(), angle.sin()
        a, b, rest = x[..., :half], x[..., half:self.rot], x[..., self.rot:]
        return torch.cat([a * cos - b * sin, b * cos + a * sin, rest], dim=-1)

    def attention(self, x, i, positions, allowed):
        B, T, _ = x.shape
        qkv = self.linear(x, f"gpt_neox.layers.{i}.attention.query_key_value").view(B, T, self.heads, 3, self.head_dim)
        q, k, v = (qkv[:, :, :, j].permute(0, 2, 1, 3) for j in range(3))  # each [B, H, T, head_dim]
        q, k = self.rotate(q, positions), self.rotate(k, positions)
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(self.head_dim)
        scores = scores.masked_fill(~allowed[:, None], float("-inf"))
        scores = scores - scores.max(-1, keepdim=True).values
        probs = scores.exp() / scores.exp().sum(-1, keepdim=True)
        out = (probs @ v).permute(0, 2, 1, 3).reshape(B, T, self.d)
        return self.linear(out, f"gpt_neox.layers.{i}.attention.dense")

    def mlp(self, x, i):
        p = f"gpt_neox.layers.{i}.mlp."
        return self.linear(self.gelu(self.linear(x, p + "dense_h_to_4h")), p + "dense_4h_to_h")

    def logits(self, ids, attention_mask=None):
        """ids [B, T] (long); attention_mask [B, T] with 0 at left padding. Returns [B, T, vocab]."""
        ids = torch.as_tensor(ids)
        B, T = ids.shape
        real = torch.ones(B, T, dtype=torch.long) if attention_mask is None else torch.as_tensor(attention_mask).long()
        positions = (real.cumsum(1) - 1).clamp(min=0)  # each row counts its real tokens from 0
        causal = torch.ones(T, T, dtype=torch.bool).tril()
        allowed = causal[None] & real.bool()[:, None, :] | torch.eye(T, dtype=torch.bool)[None]
        x = self.w["gpt_neox.embed_in.weight"][ids]
        for i in range(self.cfg["num_hidden_layers"]):
            p = f"gpt_neox.layers.{i}."
            attn = self.attention(self.layer_norm(x, p + "input_layernorm"), i, positions, allowed)
            if self.parallel:
                x = x + attn + self.mlp(self.layer_norm(x, p + "post_attention_layernorm"), i)
            else:
                x = x + attn
                x = x + self.mlp(self.layer_norm(x, p + "post_attention_layernorm"), i)
        x = self.layer_norm(x, "gpt_neox.final_layer_norm")
        return x @ self.w["embed_out.weight"].T


def logprobs(model, ids):
    logits = model.logits([ids])[0]
    log_z = torch.logsumexp(logits, dim=-1)
    return [float(logits[t - 1, ids[t]] - log_z[t - 1]) for t in range(1, len(ids))]


def open_model(model_dir, dtype):
    cfg = json.load(open(os.path.join(model_dir, "config.json")))
    return cfg, GptNeoX(cfg, load_weights(model_dir), dtype)


def write_fixtures(root, dtype):
    """expected.json for every model directory under root: three seeded sequences (lengths 24, 17, 9) and their logprobs."""
    for name in sorted(os.listdir(root)):
        model_dir = os.path.join(root, name)
        if not os.path.exists(os.path.join(model_dir, "config.json")):
            continue
        cfg, model = open_model(model_dir, dtype)
        rng = np.random.RandomState(sum(map(ord, name)))
        sequences = []
        for length in (24, 17, 9):
            ids = [int(t) for t in rng.randint(0, cfg["vocab_size"], size=length)]
            sequences.append({"tokens": ids, "logprobs": logprobs(model, ids)})
        expected = {
            "generated_by": "tools/gpt_neox_reference.py --write-fixtures (independent PyTorch implementation, "
                            f"{str(dtype).replace('torch.', '')}, torch {torch.__version__})",
            "sequences": sequences,
        }
        with open(os.path.join(model_dir, "expected.json"), "w") as f:  # one line per sequence
            rows = ",\n".join("  " + json.dumps(s) for s in sequences)
            f.write(f'{{"generated_by": {json.dumps(expected["generated_by"])},\n "sequences": [\n{rows}\n]}}\n')
        print(f"{name}: {len(sequences)} sequences", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model_dir", nargs="?")
    ap.add_argument("--ids", help="comma-separated token ids")
    ap.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    ap.add_argument("--write-fixtures", metavar="DIR", help="write expected.json into every model directory under DIR")
    args = ap.parse_args()
    dtype = getattr(torch, args.dtype)
    with torch.no_grad():
        if args.write_fixtures:
            write_fixtures(args.write_fixtures, dtype)
            return
        if not args.model_dir or not args.ids:
            ap.error("give MODEL_DIR and --ids, or --write-fixtures DIR")
        ids = [int(t) for t in args.ids.split(",")]
        _, model = open_model(args.model_dir, dtype)
        print(json.dumps({"tokens": ids, "logprobs": logprobs(model, ids)}))


if __name__ == "__main__":
    main()
