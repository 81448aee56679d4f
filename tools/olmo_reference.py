#!/usr/bin/env python3
"""Cross-check `amurochar logprobs` against a second implementation of OLMo.

Usage:
    python3 tools/olmo_reference.py MODEL_DIR --ids 1,2,3 [--compare OUTPUT.json]

If the `transformers` package is importable, the model is loaded with transformers' own
OlmoForCausalLM.from_pretrained (the reference). Otherwise a small eager implementation written from
transformers' modeling_olmo.py (parameter-free LayerNorm in fp32, rotate-half RoPE, SwiGLU, optional clip_qkv,
grouped KV heads, tied or untied head) runs on PyTorch, reading model.safetensors with the standard library and
numpy. Prints {"tokens": [...], "logprobs": [...]} like `amurochar logprobs`; with --compare, also the largest
absolute difference to that file's logprobs. Needs python3, numpy and torch (Debian: python3-torch).
"""
import argparse, json, os, struct, sys

import numpy as np
import torch
import torch.nn.functional as F

DTYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64, "I64": np.int64, "I32": np.int32}


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        if info["dtype"] == "BF16":
            raw = np.frombuffer(data[begin:end], dtype=np.uint16).astype(np.uint32) << 16
            array = raw.view(np.float32)
        else:
            array = np.frombuffer(data[begin:end], dtype=DTYPES[info["dtype"]])
        tensors[name] = torch.from_numpy(array.reshape(info["shape"]).copy()).float()
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


def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def eager_logits(cfg, w, ids):
    hidden, heads = cfg["hidden_size"], cfg["num_attention_heads"]
    kv_heads = cfg.get("num_key_value_heads") or heads
    head_dim = hidden // heads
    clip = cfg.get("clip_qkv")
    T = len(ids)
    x = w["model.embed_tokens.weight"][torch.tensor(ids)].unsqueeze(0)
    inv_freq = 1.0 / (cfg.get("rope_theta", 10000.0) ** (torch.arange(0, head_dim, 2, dtype=torch.int64).float() / head_dim))
    freqs = torch.arange(T).float()[:, None] * inv_freq[None, :]
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos()[None, None], emb.sin()[None, None]
    norm = lambda t: F.layer_norm(t.float(), (hidden,), None, None, eps=1e-5)
    mask = torch.full((T, T), float("-inf")).triu(1)
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        h = norm(x)
        q, k, v = (h @ w[p + f"self_attn.{n}_proj.weight"].T for n in "qkv")
        if clip is not None:
            q, k, v = q.clamp(-clip, clip), k.clamp(-clip, clip), v.clamp(-clip, clip)
        q = q.view(1, T, heads, head_dim).transpose(1, 2)
        k = k.view(1, T, kv_heads, head_dim).transpose(1, 2)
        v = v.view(1, T, kv_heads, head_dim).transpose(1, 2)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(heads // kv_heads, dim=1)
        v = v.repeat_interleave(heads // kv_heads, dim=1)
        att = (q @ k.transpose(2, 3)) / head_dim ** 0.5 + mask
        o = (att.softmax(-1, dtype=torch.float32) @ v).transpose(1, 2).reshape(1, T, hidden)
        x = x + o @ w[p + "self_attn.o_proj.weight"].T
        h = norm(x)
        x = x + (F.silu(h @ w[p + "mlp.gate_proj.weight"].T) * (h @ w[p + "mlp.up_proj.weight"].T)) @ w[p + "mlp.down_proj.weight"].T
    x = norm(x)
    head = w.get("lm_head.weight") if not cfg.get("tie_word_embeddings", True) else w["model.embed_tokens.weight"]
    return (x @ head.T)[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model_dir")
    ap.add_argument("--ids", required=True)
    ap.add_argument("--compare")
    args = ap.parse_args()
    ids = [int(t) for t in args.ids.split(",")]
    try:
        from transformers import OlmoForCausalLM  # the reference, where installed
        model = OlmoForCausalLM.from_pretrained(args.model_dir, torch_dtype=torch.float32).eval()
        with torch.no_grad():
            logits = model(torch.tensor([ids])).logits[0].float()
        source = "transformers.OlmoForCausalLM"
    except ImportError:
        cfg = json.load(open(os.path.join(args.model_dir, "config.json")))
        with torch.no_grad():
            logits = eager_logits(cfg, load_weights(args.model_dir), ids)
        source = "eager re-implementation (transformers not installed)"
    logp = logits.log_softmax(-1)
    result = {"tokens": ids, "logprobs": [float(logp[i - 1, ids[i]]) for i in range(1, len(ids))]}
    print(json.dumps(result))
    if args.compare:
        ours = json.load(open(args.compare))
        diff = max(abs(a - b) for a, b in zip(ours["logprobs"], result["logprobs"]))
        print(f"{source}: max |difference| = {diff:.3e} over {len(ids) - 1} positions", file=sys.stderr)


if __name__ == "__main__":
    main()
