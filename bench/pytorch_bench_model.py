# The model and timed training loop both PyTorch anchors share (bench/pytorch_anchor.py on the CPU,
# bench/pytorch_gpu_anchor.py on CUDA, bench/pytorch_csv_click.py): bench/mnist-bench-data.ts's MLP and CNNs, Adam 1e-3, shuffled batches,
# training samples per second of the loop, best of `repeats`.
import time
import numpy as np
import torch
from torch import nn


def load(csv_path, device):
    data = np.loadtxt(csv_path, delimiter=",", skiprows=1, dtype=np.float32)
    x = torch.from_numpy(data[:, :-1].copy()).to(device)
    y = torch.from_numpy(data[:, -1].astype(np.int64)).to(device)
    return x, y


def make(model_kind):
    if model_kind == "mlp":
        return nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    if model_kind == "cnn32":
        return nn.Sequential(nn.Unflatten(1, (1, 28, 28)), nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(32 * 13 * 13, 10))
    return nn.Sequential(nn.Unflatten(1, (1, 28, 28)), nn.Conv2d(1, 16, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(16 * 13 * 13, 10))


def best_samples_per_second(x, y, model_kind, batch, epochs, repeats, device, sync=lambda: None):
    torch.manual_seed(7)
    best = 0.0
    for _ in range(repeats):
        model = make(model_kind).to(device)
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        n = x.shape[0]
        seen, seconds = 0, 0.0
        for _epoch in range(epochs):
            sync()
            start = time.perf_counter()
            order = torch.randperm(n, device=device)
            xs, ys = x[order], y[order]
            for i in range(0, n, batch):
                opt.zero_grad()
                loss = loss_fn(model(xs[i:i + batch]), ys[i:i + batch])
                loss.backward()
                opt.step()
            sync()
            seconds += time.perf_counter() - start
            seen += n
        best = max(best, seen / seconds)
    return best
