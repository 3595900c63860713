#!/usr/bin/env python3
"""PyTorch side of NoPE Lab's engine benchmark (run by `./nopelab bench`, not by hand).

Reads, from DIR: model.safetensors (NoPE Lab's model file: weights + architecture), batch.safetensors (inputs,
targets; F32) and java.safetensors (NoPE Lab's hidden states, loss and gradients for that batch). Builds the
same model with PyTorch modules (the reference model of the engine tests), checks that hidden states, loss and
gradients agree, then serves timed runs of a training step (forward, backward, AdamW step) and of an analysis pass
(every hidden state + per-layer cosine-similarity matrices), one per line read on stdin, so that NoPE Lab can take
them in turn with its own runs (both sides then see the same load of a shared machine).

Protocol, one JSON object per line on stdout: first {"torch", "threads", "agreement"}; then for each line "analysis"
or "train" read, {"wall", "cpu"} of one run in ms (the first of each kind is preceded by untimed warm-up runs); for
"done", {"blas", "core", "peak_rss_mb"}, and the process exits.
"""
import ctypes
import json
import os
import re
import resource
import struct
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bundles", "org.nopelab.core.tests", "pytorch"))
from reference import NoPE  # noqa: E402  the same modules the engine tests compare against


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        body = f.read()
    meta = header.pop("__metadata__", {})
    out = {}
    for name, h in header.items():
        a, b = h["data_offsets"]
        out[name] = torch.frombuffer(bytearray(body[a:b]), dtype=torch.float32).reshape(h["shape"])
    return out, meta


def rel(a, b):
    """Largest difference relative to the larger tensor's scale."""
    return float((a - b).abs().max() / max(float(a.abs().max()), float(b.abs().max()), 1e-12))


def peak_rss_mb():
    """VmHWM of this process: ru_maxrss would keep the JVM's peak, which Linux carries across fork and exec."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_ms(fn):
    """Wall time and the CPU time (all threads of the process) of one run, in ms."""
    t, c = time.perf_counter(), time.process_time()
    fn()
    return {"wall": (time.perf_counter() - t) * 1e3, "cpu": (time.process_time() - c) * 1e3}


def reply(obj):
    print(json.dumps(obj), flush=True)


def blas():
    """The BLAS PyTorch was built with, and the kernels the OpenBLAS loaded into this process runs (its core)."""
    config = torch.__config__.show()
    info = ", ".join(m.group(0) for key in ("BLAS_INFO", "USE_MKLDNN") for m in [re.search(key + r"=[^,\s]+", config)] if m)
    core = "unknown"
    with open("/proc/self/maps") as f:
        libs = sorted({line.split()[-1] for line in f if "openblas" in line and ".so" in line})
    for lib in libs:
        try:
            fn = ctypes.CDLL(lib).openblas_get_corename
            fn.restype = ctypes.c_char_p
            core = fn().decode().strip() + " (" + lib + ")"
            break
        except (OSError, AttributeError):
            continue
    given = os.environ.get("OPENBLAS_CORETYPE")
    return {"blas": info, "core": core + (f", OPENBLAS_CORETYPE {given}" if given else ", detected by OpenBLAS")}


def main():
    d, analysis_only = sys.argv[1], sys.argv[2] == "analysis"
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
    weights, meta = read_safetensors(f"{d}/model.safetensors")
    c = json.loads(meta["nopelab.model"])
    c.setdefault("max_len", 4096)
    model = NoPE(c)
    model.load_state_dict(weights)
    batch, _ = read_safetensors(f"{d}/batch.safetensors")
    inputs, targets = batch["inputs"].long(), batch["targets"].long()
    java, _ = read_safetensors(f"{d}/java.safetensors")
    layers = [f"layer{l}" for l in range(c["layers"] + 1)]

    # agreement first: a ratio between engines that compute different things means nothing
    agree = {}
    with torch.no_grad():
        states = model(inputs)
    agree["hidden_states"] = max(rel(states[n], java["state." + n]) for n in layers)
    if not analysis_only:
        model.zero_grad()
        logits = model(inputs)["logits"]
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))
        loss.backward()
        agree["loss"] = abs(float(loss) - float(java["loss"][0])) / abs(float(loss))
        # relative to the largest gradient of the model: some gradients are exactly 0 in exact arithmetic (the
        # key bias cannot change a softmax), and their float noise (~1e-11) has no scale of its own
        scale = max(float(p.grad.abs().max()) for p in model.parameters())
        agree["gradients"] = max(float((p.grad - java["grad." + n]).abs().max()) for n, p in model.named_parameters()) / scale

    def cosine_matrices():
        with torch.no_grad():
            s = model(inputs)
            for n in layers:
                h = F.normalize(s[n], dim=-1)
                (h @ h.transpose(1, 2)).mean(0)

    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)

    def train_step():
        opt.zero_grad(set_to_none=True)
        logits = model(inputs)["logits"]
        F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1)).backward()
        opt.step()

    reply({"torch": torch.__version__, "threads": torch.get_num_threads(), "agreement": agree})
    runs = {"analysis": (cosine_matrices, 2)}  # kind: (run, untimed warm-up runs)
    if not analysis_only:
        runs["train"] = (train_step, 3)
    warm = set()
    for line in sys.stdin:
        kind = line.strip()
        if kind == "done":
            break
        if kind not in runs:
            raise SystemExit(f"pytorch_bench: unknown request {kind!r}; expected one of {sorted(runs)} or done")
        fn, warmup = runs[kind]
        if kind not in warm:
            for _ in range(warmup):
                fn()
            warm.add(kind)
        reply(timed_ms(fn))
    reply({**blas(), "peak_rss_mb": peak_rss_mb()})


if __name__ == "__main__":
    main()
