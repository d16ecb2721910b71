# The PyTorch CUDA anchor for bench/gpu-train-speed.ts: bench/pytorch_anchor.py's model, data, batch size and
# epochs, on the GPU (device 'cuda', the data moved there once, synchronized before and after each timed epoch),
# best of N. Prints one JSON line; {"cuda": false, ...} when this torch has no CUDA device. Needs a CUDA build of
# PyTorch, e.g. `pip install torch` on Linux (https://pytorch.org/get-started/locally/).
# Run: python3 bench/pytorch_gpu_anchor.py DATA.csv mlp|cnn BATCH EPOCHS REPEATS
import json, sys
import torch
from pytorch_bench_model import best_samples_per_second, load

csv_path, model_kind, batch, epochs, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
if not torch.cuda.is_available():
    print(json.dumps({"cuda": False, "torch": torch.__version__, "cudaBuild": torch.version.cuda}))
    sys.exit(0)

device = torch.device("cuda")
x, y = load(csv_path, device)  # the data moves to the GPU once
best = best_samples_per_second(x, y, model_kind, batch, epochs, repeats, device, sync=torch.cuda.synchronize)
print(json.dumps({"cuda": True, "samplesPerSecond": best, "torch": torch.__version__, "gpu": torch.cuda.get_device_name(0)}))
