#!/usr/bin/env python3
"""Writes the torch.save fixtures of tests/AmuroChar.Tests/Checkpoints/TorchPickleTests.cs.

Usage (from the repository root; Debian's python3-torch and numpy):
    /usr/bin/python3 tools/torch_pickle_fixtures.py [OUT_DIR]

OUT_DIR defaults to tests/AmuroChar.Tests/Checkpoints/Fixtures/torch_pickle. It writes:
  mixed.bin, mixed-protocol4.bin, mixed-zip64.bin  one state dict of every dtype the reader supports (a 0-d tensor, an
      empty one, offset views into a shared storage, two names for one tensor, a Parameter, _metadata as
      nn.Module.state_dict() has it), saved by torch.save with pickle protocol 2 (the default) and 4, and the first
      re-packed as zip64 (sizes and offsets in zip64 fields, as in checkpoints over 4 GiB; Python's zipfile reads it,
      torch.load's miniz refuses it only because its sanity check adds the 0xFFFFFFFF placeholders to the offsets of
      an archive far smaller than 4 GiB);
  mixed.expected.safetensors  the same tensors, each a contiguous copy, written by hand (no safetensors package);
  noncontiguous.bin  a transposed view, which the reader must refuse;
  pythia-like-bin/  Model/Fixtures/gpt_neox/pythia-like (its safetensors read by hand) as pytorch_model.bin, a plain
      dict as transformers' save_pretrained writes it, with the buffers old Pythia checkpoints carry (attention.bias,
      masked_bias, rotary_emb.inv_freq);
  olmo-tied-bin/, olmo-tied-safetensors/  one random micro OLMo (tied embeddings, grouped KV heads, bf16) as two
      pytorch_model-0000i-of-00002.bin shards plus pytorch_model.bin.index.json (lm_head.weight stored as the same
      tensor as the embedding, as torch.save of a tied model does), and as model.safetensors without lm_head.weight.
Deterministic: the same torch version writes the same bytes.
"""
import collections, json, os, shutil, struct, sys, zipfile

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTHIA = os.path.join(ROOT, "tests/AmuroChar.Tests/Model/Fixtures/gpt_neox/pythia-like")
NUMPY = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "i1", "U8": "u1", "BOOL": "?"}
SAFETENSORS = {torch.float64: "F64", torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.int64: "I64",
               torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8", torch.bool: "BOOL"}


def raw_bytes(tensor):
    """A tensor's elements, row-major, little-endian (bf16 through its bits: numpy has no bfloat16)."""
    tensor = tensor.detach().contiguous()
    if tensor.dtype == torch.bfloat16:
        tensor = tensor.view(torch.int16)
    return tensor.numpy().tobytes()


def write_safetensors(path, tensors):
    """safetensors by hand: u64 LE header length, the JSON header (padded to 8 bytes), the tensors' bytes in order."""
    header, chunks, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, tensor in tensors.items():
        data = raw_bytes(tensor)
        header[name] = {"dtype": SAFETENSORS[tensor.dtype], "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))


def read_safetensors(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n).decode("utf-8"))
        data = f.read()
    tensors = collections.OrderedDict()
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        if info["dtype"] == "BF16":
            array = np.frombuffer(data[begin:end], dtype="<i2").copy()
            tensors[name] = torch.from_numpy(array).view(torch.bfloat16).reshape(info["shape"])
        else:
            tensors[name] = torch.from_numpy(np.frombuffer(data[begin:end], dtype=NUMPY[info["dtype"]]).copy()).reshape(info["shape"])
    return tensors


def mixed_state_dict():
    g = torch.Generator().manual_seed(7)
    sd = collections.OrderedDict()
    sd["f32"] = torch.randn(3, 4, generator=g)
    sd["f16"] = torch.randn(5, generator=g).half()
    sd["bf16"] = torch.randn(2, 3, generator=g).bfloat16()
    sd["f64"] = torch.randn(2, 2, generator=g).double()
    sd["i64"] = torch.tensor([-(2 ** 40), -1, 0, 7, 2 ** 62], dtype=torch.int64)
    sd["i32"] = torch.tensor([[-5, 3], [2 ** 30, -(2 ** 31)]], dtype=torch.int32)
    sd["i16"] = torch.tensor([-300, 300], dtype=torch.int16)
    sd["i8"] = torch.tensor([-128, 127, 0], dtype=torch.int8)
    sd["u8"] = torch.tensor([0, 1, 255], dtype=torch.uint8)
    sd["bool"] = torch.tensor([[True, False, True]])
    sd["scalar"] = torch.tensor(2.5)
    sd["empty"] = torch.zeros(0, 3)
    shared = torch.randn(10, generator=g)
    sd["shared.full"] = shared
    sd["shared.middle"] = shared[3:7]            # storage offset 3
    sd["shared.row"] = shared.view(2, 5)[1:]     # offset 5, shape [1, 5]
    tied = torch.randn(2, 2, generator=g).half()
    sd["tied.a"] = tied
    sd["tied.b"] = tied                         # the same tensor: a pickle memo reference
    sd["param"] = torch.nn.Parameter(torch.randn(3, generator=g))
    sd._metadata = collections.OrderedDict([("", {"version": 1}), ("param", {"version": 2})])
    return sd


def repack_zip64(source, target):
    """The same members, stored, but with zip64 fields throughout: zipfile writes them when sizes pass ZIP64_LIMIT."""
    limits = zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT
    zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT = 0, 0
    try:
        with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED, allowZip64=True) as dst:
            for info in src.infolist():
                entry = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
                dst.writestr(entry, src.read(info.filename), compress_type=zipfile.ZIP_STORED)
    finally:
        zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT = limits
    # zipfile still fills the classic end record's counts, size and offset when they fit; a writer that overflowed them
    # (and miniz, which torch uses, for any zip64 archive) leaves 0xFFFF / 0xFFFFFFFF there, sending readers to the zip64 record.
    with open(target, "r+b") as f:
        f.seek(-22, os.SEEK_END)
        end = bytearray(f.read(22))
        assert end[:4] == b"PK\x05\x06"
        end[8:20] = b"\xff" * 12
        f.seek(-22, os.SEEK_END)
        f.write(end)


def write_config(directory, config):
    with open(os.path.join(directory, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")


def pythia_like(out):
    directory = os.path.join(out, "pythia-like-bin")
    os.makedirs(directory, exist_ok=True)
    shutil.copyfile(os.path.join(PYTHIA, "config.json"), os.path.join(directory, "config.json"))
    config = json.load(open(os.path.join(PYTHIA, "config.json")))
    weights = read_safetensors(os.path.join(PYTHIA, "model.safetensors"))
    n, heads = config["max_position_embeddings"], config["num_attention_heads"]
    rotary = int(config["hidden_size"] // heads * config["rotary_pct"])
    sd = {}  # transformers' save_pretrained pickles plain dicts (its shards), not the module's OrderedDict
    for name, tensor in weights.items():
        sd[name] = tensor
        if name.endswith(".attention.dense.bias"):
            layer = name[: -len(".attention.dense.bias")]
            sd[layer + ".attention.bias"] = torch.tril(torch.ones(n, n, dtype=torch.uint8)).view(1, 1, n, n)
            sd[layer + ".attention.masked_bias"] = torch.tensor(-1e9)
            sd[layer + ".attention.rotary_emb.inv_freq"] = 1.0 / (10000 ** (torch.arange(0, rotary, 2).float() / rotary))
    torch.save(sd, os.path.join(directory, "pytorch_model.bin"))


def olmo_tied(out):
    config = {"architectures": ["OlmoForCausalLM"], "model_type": "olmo", "vocab_size": 128, "hidden_size": 32,
              "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
              "hidden_act": "silu", "max_position_embeddings": 64, "rope_theta": 10000.0, "rope_scaling": None,
              "attention_bias": False, "attention_dropout": 0.0, "clip_qkv": 8.0, "tie_word_embeddings": True,
              "initializer_range": 0.02, "eos_token_id": 0, "pad_token_id": 1, "use_cache": True, "torch_dtype": "bfloat16"}
    g = torch.Generator().manual_seed(23)
    hidden, inter, head_dim, kv = 32, 64, 8, 2 * 8
    shapes = [("model.embed_tokens.weight", (128, hidden))]
    for i in range(2):
        layer = f"model.layers.{i}"
        shapes += [(f"{layer}.self_attn.q_proj.weight", (hidden, hidden)), (f"{layer}.self_attn.k_proj.weight", (kv, hidden)),
                   (f"{layer}.self_attn.v_proj.weight", (kv, hidden)), (f"{layer}.self_attn.o_proj.weight", (hidden, hidden)),
                   (f"{layer}.mlp.gate_proj.weight", (inter, hidden)), (f"{layer}.mlp.up_proj.weight", (inter, hidden)),
                   (f"{layer}.mlp.down_proj.weight", (hidden, inter))]
    weights = collections.OrderedDict((name, (torch.randn(shape, generator=g) * 0.3).bfloat16()) for name, shape in shapes)

    safetensors_dir = os.path.join(out, "olmo-tied-safetensors")
    os.makedirs(safetensors_dir, exist_ok=True)
    write_config(safetensors_dir, config)
    write_safetensors(os.path.join(safetensors_dir, "model.safetensors"), weights)

    bin_dir = os.path.join(out, "olmo-tied-bin")
    os.makedirs(bin_dir, exist_ok=True)
    write_config(bin_dir, config)
    first = {name: t for name, t in weights.items() if not name.startswith("model.layers.1.")}
    first["lm_head.weight"] = weights["model.embed_tokens.weight"]  # tied: one tensor, two names
    second = {name: t for name, t in weights.items() if name.startswith("model.layers.1.")}
    weight_map = {}
    for i, shard in enumerate([first, second]):
        shard_name = f"pytorch_model-{i + 1:05d}-of-00002.bin"
        torch.save(shard, os.path.join(bin_dir, shard_name))
        weight_map.update({name: shard_name for name in shard})
    total = sum(t.numel() * t.element_size() for t in weights.values())
    with open(os.path.join(bin_dir, "pytorch_model.bin.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": dict(sorted(weight_map.items()))}, f, indent=2)
        f.write("\n")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "tests/AmuroChar.Tests/Checkpoints/Fixtures/torch_pickle")
    os.makedirs(out, exist_ok=True)
    sd = mixed_state_dict()
    torch.save(sd, os.path.join(out, "mixed.bin"))
    torch.save(sd, os.path.join(out, "mixed-protocol4.bin"), pickle_protocol=4)
    repack_zip64(os.path.join(out, "mixed.bin"), os.path.join(out, "mixed-zip64.bin"))
    write_safetensors(os.path.join(out, "mixed.expected.safetensors"), collections.OrderedDict((k, v.contiguous()) for k, v in sd.items()))
    torch.save({"transposed": torch.arange(6.0).view(2, 3).t()}, os.path.join(out, "noncontiguous.bin"))
    pythia_like(out)
    olmo_tied(out)
    for folder, _, files in sorted(os.walk(out)):
        for name in sorted(files):
            path = os.path.join(folder, name)
            print(f"{os.path.relpath(path, out)}\t{os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
