#!/bin/bash
# On the GPU machine (see pack.sh): assemble the carried parts, unpack, probe which Chromium flags reach the GPU, run
# bench/gpu-train-speed.ts. Writes probe.txt and bench.txt under $OUT. Extra arguments go to the bench.
set -o pipefail
R=$PWD; D=${GPU_WORK:-/tmp/gpu}; EXTRA_ARGS=("$@")
last=$(ls -d "$R"/.gpu/p* | sort -V | tail -1)
cp "$last"/* "$D"/ || exit 3
cd "$D" && ls part.* && cat $(ls part.* | sort -V) | xz -dc | tar xf - || exit 4
B=$D/bundle
cat > "$B/chrome.sh" <<EOS
#!/bin/sh
export LD_LIBRARY_PATH=$B/lib:/usr/local/nvidia/lib64:/usr/local/nvidia/lib\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}
export FONTCONFIG_PATH=$B/fonts-etc
exec $B/chromium/chromium "\$@"
EOS
chmod +x "$B/chrome.sh"
mkdir -p "$D/bench" && cp "$R"/bench/*.py "$D/bench/"
export CHROMIUM_PATH=$B/chrome.sh
ICD=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
[ -f $ICD ] && export VK_DRIVER_FILES=$ICD VK_ICD_FILENAMES=$ICD
EGLV=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
[ -f $EGLV ] && export __EGL_VENDOR_LIBRARY_FILENAMES=$EGLV
nvidia-smi -L; ls /usr/local/nvidia/share/vulkan/icd.d/ 2>&1
N=$B/node; $N --version
PW_FROM=$B/bench.mjs timeout 150 $N "$R/.gpu/extra/probe.mjs" 2>&1 | tee "$OUT/probe.txt"
# Without a hardware adapter the figures mean nothing: a short run only (it still measures PyTorch on CUDA).
grep -qi nvidia "$OUT/probe.txt" || { echo "no hardware adapter in the probe: a short bench only"; EXTRA_ARGS+=(--rows 2000 --epochs 1 --repeats 1); }
cd "$B" && timeout ${BENCH_TIMEOUT:-380} $N bench.mjs --page-dir page --chromium-arg=--disable-dev-shm-usage "${EXTRA_ARGS[@]}" 2>&1 | tee "$OUT/bench.txt"
