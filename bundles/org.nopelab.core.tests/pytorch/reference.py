#!/usr/bin/env python3
"""PyTorch reference for NoPE Lab's forward pass (README "Safetensors layout").

Builds small models with PyTorch's own modules and random init, writes each as a NoPE Lab model file plus the
tokens and every hidden state PyTorch computes. PyTorchReferenceTest loads the model into the ND4J engine and
must reproduce those states. Regenerate with:  python3 reference.py ../fixtures
(needs python3-torch; the fixtures are committed so the test needs no Python).
"""
import json
import math
import struct
import sys

import torch
from torch import nn
import torch.nn.functional as F


def block_scheme(c, i):
    """Block i's (0-based) position scheme and mask, as README "Position schemes" defines them."""
    if c.get("layers_pe"):
        pe = c["layers_pe"][i % len(c["layers_pe"])]
    elif c.get("nope_every") and (i + 1) % c["nope_every"] == 0:
        pe = "none"
    else:
        pe = c["pe"] if c["pe"] in ("rope", "alibi") else "none"
    mask = c["layers_attention"][i % len(c["layers_attention"])] if c.get("layers_attention") else c["attention"]
    return pe, mask


def rotate_half(x):
    a, b = x.chunk(2, dim=-1)
    return torch.cat([-b, a], dim=-1)


def rope(x, base, fraction):
    """Rotate-half RoPE (GPT-NeoX / HF Llama) on the first r dims of each head, x [b, h, n, hd]."""
    n, hd = x.shape[-2], x.shape[-1]
    r = 2 * int(fraction * hd // 2)
    inv = base ** (-torch.arange(0, r, 2, dtype=torch.float64) / r)
    f = torch.outer(torch.arange(n, dtype=torch.float64), inv)
    cos, sin = torch.cat([f, f], -1).cos().to(x.dtype), torch.cat([f, f], -1).sin().to(x.dtype)
    return torch.cat([x[..., :r] * cos + rotate_half(x[..., :r]) * sin, x[..., r:]], dim=-1)


def alibi_slopes(n, bias_max):
    """Press et al.'s get_slopes, with 8 generalised to bias_max (MPT's alibi_bias_max)."""
    def power_of_2(k):
        return [2 ** (-bias_max * (h + 1) / k) for h in range(k)]
    p = 2 ** math.floor(math.log2(n))
    return power_of_2(p) if p == n else power_of_2(p) + power_of_2(2 * p)[0::2][:n - p]


class Block(nn.Module):
    def __init__(self, c, i):
        super().__init__()
        d = c["d_model"]
        self.c = c
        self.pe, self.mask = block_scheme(c, i)
        if c["layer_norm"] != "none":
            self.ln1, self.ln2 = nn.LayerNorm(d, eps=1e-5), nn.LayerNorm(d, eps=1e-5)
        self.attn = nn.Module()
        for p in "qkvo":
            setattr(self.attn, p, nn.Linear(d, d))
        self.mlp = nn.Module()
        self.mlp.fc1, self.mlp.fc2 = nn.Linear(d, c["d_ff"]), nn.Linear(c["d_ff"], d)

    def attention(self, x):
        b, n, d = x.shape
        h = self.c["heads"]
        split = lambda t: t.view(b, n, h, d // h).transpose(1, 2)
        q, k, v = split(self.attn.q(x)), split(self.attn.k(x)), split(self.attn.v(x))
        if self.pe == "rope":
            q, k = rope(q, self.c["rope"]["base"], self.c["rope"]["fraction"]), rope(k, self.c["rope"]["base"], self.c["rope"]["fraction"])
        scores = q @ k.transpose(-2, -1) / (d // h) ** 0.5
        i, j = torch.arange(n)[:, None], torch.arange(n)[None, :]
        if self.pe == "alibi":
            slopes = torch.tensor(alibi_slopes(h, self.c["alibi"]["bias_max"]))[:, None, None]
            scores = scores - slopes * (i - j).abs()
        if self.mask == "causal":
            scores = scores.masked_fill(j > i, float("-inf"))
        elif self.mask == "sliding_window":
            scores = scores.masked_fill((j > i) | (j <= i - self.c["window"]), float("-inf"))
        o = scores.softmax(-1) @ v
        return self.attn.o(o.transpose(1, 2).reshape(b, n, d))

    def act(self, x):
        return {"relu": F.relu, "gelu": F.gelu, "silu": F.silu,
                "gelu_tanh": lambda t: F.gelu(t, approximate="tanh")}[self.c["activation"]](x)

    def forward(self, x, l, s):
        pre, post, res = self.c["layer_norm"] == "pre", self.c["layer_norm"] == "post", self.c["residual"]
        a_in = self.ln1(x) if pre else x
        if pre: s[f"layer{l}.ln1"] = a_in
        a = self.attention(a_in); s[f"layer{l}.attn"] = a
        x = x + a if res else a
        if post: x = self.ln1(x)
        s[f"layer{l}.mid"] = x
        m_in = self.ln2(x) if pre else x
        if pre: s[f"layer{l}.ln2"] = m_in
        m = self.mlp.fc2(self.act(self.mlp.fc1(m_in))); s[f"layer{l}.mlp"] = m
        x = x + m if res else m
        if post: x = self.ln2(x)
        s[f"layer{l}"] = x
        return x


class NoPE(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.embed = nn.Embedding(c["vocab_size"], c["d_model"])
        if c["pe"] == "learned":
            self.pos_embed = nn.Embedding(c["max_len"], c["d_model"])
        self.blocks = nn.ModuleList(Block(c, i) for i in range(c["layers"]))
        if c["layer_norm"] == "pre":
            self.final_ln = nn.LayerNorm(c["d_model"], eps=1e-5)
        self.unembed = nn.Linear(c["d_model"], c["vocab_size"])

    def forward(self, tokens):
        s = {}
        x = self.embed(tokens)
        if self.c["pe"] == "learned":
            x = x + self.pos_embed(torch.arange(tokens.shape[1]))
        s["layer0"] = x
        for i, blk in enumerate(self.blocks):
            x = blk(x, i + 1, s)
        if self.c["layer_norm"] == "pre":
            x = self.final_ln(x); s["final_ln"] = x
        s["logits"] = self.unembed(x)
        return s


def save_safetensors(path, tensors, metadata):
    header, offset, blobs = {"__metadata__": metadata}, 0, []
    for name, t in tensors.items():
        data = t.detach().contiguous().float().numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


CASES = {
    "pre-gelu-causal": dict(vocab_size=13, d_model=24, heads=3, layers=2, d_ff=40, activation="gelu",
                            layer_norm="pre", residual=True, pe="none", attention="causal"),
    "post-relu-learned": dict(vocab_size=9, d_model=16, heads=2, layers=2, d_ff=32, activation="relu",
                              layer_norm="post", residual=True, pe="learned", attention="causal"),
    "none-silu-bidirectional": dict(vocab_size=11, d_model=16, heads=4, layers=1, d_ff=24, activation="silu",
                                    layer_norm="none", residual=False, pe="none", attention="bidirectional"),
    # Engine 2's schemes: RoPE (partial), ALiBi on a head count that is not a power of two, a sliding window,
    # and a Command-A-like hybrid (3 sliding-window RoPE blocks : 1 global NoPE block)
    "rope-partial-causal": dict(vocab_size=13, d_model=32, heads=2, layers=2, d_ff=40, activation="gelu",
                                layer_norm="pre", residual=True, pe="rope", attention="causal",
                                rope=dict(base=10000.0, fraction=0.5)),
    "alibi-3heads": dict(vocab_size=11, d_model=24, heads=3, layers=2, d_ff=32, activation="gelu",
                         layer_norm="pre", residual=True, pe="alibi", attention="causal"),
    "window-nope": dict(vocab_size=9, d_model=16, heads=2, layers=2, d_ff=32, activation="relu",
                        layer_norm="post", residual=True, pe="none", attention="sliding_window", window=3),
    "hybrid-command-a": dict(vocab_size=13, d_model=24, heads=2, layers=4, d_ff=40, activation="silu",
                             layer_norm="pre", residual=True, pe="rope", attention="causal", nope_every=4,
                             layers_attention=["sliding_window", "sliding_window", "sliding_window", "causal"], window=3),
}

if __name__ == "__main__":
    out = sys.argv[1]
    torch.manual_seed(0)
    for name, c in CASES.items():
        c = dict(dict(rope=dict(base=10000.0, fraction=1.0), alibi=dict(bias_max=8.0), window=16), **c)
        c = dict(c, dropout=0.0, max_len=16, init=dict(scheme="pytorch", std=0.02, scale=1.0))
        model = NoPE(c).eval()
        tokens = torch.randint(0, c["vocab_size"], (3, 7))
        with torch.no_grad():
            states = model(tokens)
        meta = {"format": "nopelab/model/1", "nopelab.model": json.dumps(c), "torch": torch.__version__}
        save_safetensors(f"{out}/{name}.model.safetensors", dict(model.state_dict()), meta)
        save_safetensors(f"{out}/{name}.states.safetensors", states, {"format": "nopelab/hidden-states/1"})
        with open(f"{out}/{name}.tokens.csv", "w") as f:
            f.write("\n".join(",".join(str(int(t)) for t in row) for row in tokens) + "\n")
        print(name, "->", len(states), "states")
