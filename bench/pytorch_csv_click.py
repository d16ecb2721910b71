# The PyTorch side of bench/train-speed.ts's one-click case, timed whole from outside (GNU time): interpreter and
# torch import, np.loadtxt of the Kaggle-layout CSV (label first), min-max scaling fitted on the training rows, a
# seeded 72/8/20 train/validation/test split (ModelCommons' default shares), the Conv2D 32 CNN, Adam 1e-3, batch B,
# E epochs with a validation pass after each, the test evaluated once at the end, on every core of the machine.
# Prints JSON: training samples per second of the training loop, the load time, the thread count.
#   /usr/bin/python3 bench/pytorch_csv_click.py CSV EPOCHS BATCH [THREADS, default: every core]
import json, os, sys, time
import numpy as np
import torch
from pytorch_bench_model import make

csv_path, epochs, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
torch.set_num_threads(int(sys.argv[4]) if len(sys.argv) > 4 else os.cpu_count())
torch.manual_seed(7)
start = time.perf_counter()
data = np.loadtxt(csv_path, delimiter=",", skiprows=1, dtype=np.float32)
load_seconds = time.perf_counter() - start
labels = torch.from_numpy(data[:, 0].astype(np.int64))
n = data.shape[0]
order = np.random.default_rng(1).permutation(n)
n_test = round(n * 0.2)
n_val = round((n - n_test) * 0.1)
test, val, train = order[:n_test], order[n_test:n_test + n_val], order[n_test + n_val:]
low = data[train, 1:].min(0)
span = data[train, 1:].max(0) - low
span[span == 0] = 1
x = torch.from_numpy((data[:, 1:] - low) / span)
del data

model = make("cnn32")
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = torch.nn.CrossEntropyLoss()
train_t = torch.from_numpy(train)


def accuracy(rows):
    with torch.no_grad():
        correct = 0
        for i in range(0, len(rows), 1024):
            idx = torch.from_numpy(rows[i:i + 1024])
            correct += (model(x[idx]).argmax(1) == labels[idx]).sum().item()
    return correct / len(rows)


seconds = 0.0
for _epoch in range(epochs):
    began = time.perf_counter()
    shuffled = train_t[torch.randperm(len(train_t))]
    for i in range(0, len(shuffled), batch):
        idx = shuffled[i:i + batch]
        opt.zero_grad()
        loss = loss_fn(model(x[idx]), labels[idx])
        loss.backward()
        opt.step()
    seconds += time.perf_counter() - began
    accuracy(val)
print(json.dumps({
    "samplesPerSecond": len(train) * epochs / seconds,
    "trainSeconds": seconds,
    "loadSeconds": load_seconds,
    "testAccuracy": accuracy(test),
    "threads": torch.get_num_threads(),
    "torch": torch.__version__,
}))
