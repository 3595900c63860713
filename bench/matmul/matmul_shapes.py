# The same shapes in PyTorch, one thread (run.sh).
import time, torch
torch.set_num_threads(1)
for m, k, n in [(1920, 256, 1024), (1920, 1024, 256), (1920, 64, 192), (1920, 64, 256)]:
    x = torch.rand(m, k); w = torch.rand(n, k); ts = []
    for _ in range(21):
        t0 = time.perf_counter(); x @ w.T; ts.append((time.perf_counter() - t0) * 1e3)
    ts.sort(); print(f"torch [{m} x {k}] x [{n} x {k}]^T: {ts[10]:.3f} ms, {2*m*k*n/ts[10]/1e6:.1f} GFLOP/s")
q = torch.rand(64, 4, 30, 16); kk = torch.rand(64, 4, 30, 16); ts = []
for _ in range(21):
    t0 = time.perf_counter(); q @ kk.transpose(-1, -2); ts.append((time.perf_counter() - t0) * 1e3)
ts.sort(); print(f"torch batched [64,4,30,16] x [64,4,16,30]: {ts[10]:.3f} ms, {2*256*30*30*16/ts[10]/1e6:.1f} GFLOP/s")
