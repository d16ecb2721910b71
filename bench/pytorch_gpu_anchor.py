# The PyTorch CUDA anchor for bench/gpu-train-speed.ts: bench/pytorch_anchor.py's model, data, batch size and
# epochs, on the GPU (device 'cuda', the data moved there once, synchronized before and after each timed epoch),
# best of N. Prints one JSON line; {"cuda": false, ...} when this torch has no CUDA device. Needs a CUDA build of
# PyTorch, e.g. `pip install torch` on Linux (https://pytorch.org/get-started/locally/).
# Run: python3 bench/pytorch_gpu_anchor.py DATA.csv mlp|cnn BATCH EPOCHS REPEATS
import json, sys, time
import numpy as np
import torch
from torch import nn

csv_path, model_kind, batch, epochs, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
if not torch.cuda.is_available():
    print(json.dumps({"cuda": False, "torch": torch.__version__, "cudaBuild": torch.version.cuda}))
    sys.exit(0)

device = torch.device("cuda")
torch.manual_seed(7)
data = np.loadtxt(csv_path, delimiter=",", skiprows=1, dtype=np.float32)
x = torch.from_numpy(data[:, :-1].copy()).to(device)
y = torch.from_numpy(data[:, -1].astype(np.int64)).to(device)

def make():
    if model_kind == "mlp":
        return nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    return nn.Sequential(nn.Unflatten(1, (1, 28, 28)), nn.Conv2d(1, 16, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(16 * 13 * 13, 10))

best = 0.0
for _ in range(repeats):
    model = make().to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    n = x.shape[0]
    seen, seconds = 0, 0.0
    for epoch in range(epochs):
        torch.cuda.synchronize()
        start = time.perf_counter()
        order = torch.randperm(n, device=device)
        xs, ys = x[order], y[order]
        for i in range(0, n, batch):
            opt.zero_grad()
            loss = loss_fn(model(xs[i:i + batch]), ys[i:i + batch])
            loss.backward()
            opt.step()
        torch.cuda.synchronize()
        seconds += time.perf_counter() - start
        seen += n
    best = max(best, seen / seconds)
print(json.dumps({"cuda": True, "samplesPerSecond": best, "torch": torch.__version__, "gpu": torch.cuda.get_device_name(0)}))
