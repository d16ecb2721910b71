# The PyTorch anchor for bench/train-speed.ts: the same model, data, batch size and thread count, timed the same
# way (training samples per second of the training loop, best of N). Needs Debian's python3-torch:
#   apt-get install python3-torch   (then run with /usr/bin/python3)
import json, sys, time
import numpy as np
import torch
from torch import nn

csv_path, model_kind, batch, epochs, threads, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
torch.set_num_threads(threads)
torch.manual_seed(7)
data = np.loadtxt(csv_path, delimiter=",", skiprows=1, dtype=np.float32)
x = torch.from_numpy(data[:, :-1].copy())
y = torch.from_numpy(data[:, -1].astype(np.int64))

def make():
    if model_kind == "mlp":
        return nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    return nn.Sequential(nn.Unflatten(1, (1, 28, 28)), nn.Conv2d(1, 16, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(16 * 13 * 13, 10))

best = 0.0
for _ in range(repeats):
    model = make()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    n = x.shape[0]
    seen, seconds = 0, 0.0
    for epoch in range(epochs):
        start = time.perf_counter()
        order = torch.randperm(n)
        xs, ys = x[order], y[order]
        for i in range(0, n, batch):
            opt.zero_grad()
            loss = loss_fn(model(xs[i:i + batch]), ys[i:i + batch])
            loss.backward()
            opt.step()
        seconds += time.perf_counter() - start
        seen += n
    best = max(best, seen / seconds)
print(json.dumps({"samplesPerSecond": best, "torch": torch.__version__, "threads": torch.get_num_threads()}))
