# The PyTorch anchor for bench/train-speed.ts: the same model, data, batch size and thread count, timed the same
# way (training samples per second of the training loop, best of N). Needs Debian's python3-torch:
#   apt-get install python3-torch   (then run with /usr/bin/python3)
import json, sys
import torch
from pytorch_bench_model import best_samples_per_second, load

csv_path, model_kind, batch, epochs, threads, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
torch.set_num_threads(threads)
device = torch.device("cpu")
x, y = load(csv_path, device)
best = best_samples_per_second(x, y, model_kind, batch, epochs, repeats, device)
print(json.dumps({"samplesPerSecond": best, "torch": torch.__version__, "threads": torch.get_num_threads()}))
