;; Hot training kernels for tfjs's wasm backend, in WebAssembly SIMD. The module imports the backend's own memory, so
;; every pointer below is a tensor's memoryOffset on the tfjs heap (bytes) and kernels read and write tensors in place.
;; Build: npx tsx scripts/build-wasm-kernels.ts (wabt, from npm) -> simd-kernels.wasm.ts. All tensors are float32 NHWC.
(module
  (import "env" "memory" (memory 1))

  ;; ceil(a / b) for b > 0 (i32.div_s truncates, which is the ceiling for a <= 0).
  (func $ceil_div (param $a i32) (param $b i32) (result i32)
    (if (result i32) (i32.gt_s (local.get $a) (i32.const 0))
      (then (i32.div_s (i32.sub (i32.add (local.get $a) (local.get $b)) (i32.const 1)) (local.get $b)))
      (else (i32.div_s (local.get $a) (local.get $b)))))

  (func $min (param $a i32) (param $b i32) (result i32)
    (select (local.get $a) (local.get $b) (i32.lt_s (local.get $a) (local.get $b))))

  (func $max (param $a i32) (param $b i32) (result i32)
    (select (local.get $a) (local.get $b) (i32.gt_s (local.get $a) (local.get $b))))

  ;; dw[0..co) += Σ_{p<count} x[xp + p·xstep] · dy[dyp + p·co·4 + (0..co)], x one float per position, dy a row of co.
  ;; Output channels go 16 at a time (four f32x4 accumulators), then 4, then one by one.
  (func $accumulate_row (param $xp i32) (param $xstep i32) (param $dyp i32) (param $co i32) (param $dwp i32) (param $count i32)
    (local $k i32) (local $p i32) (local $xq i32) (local $dq i32) (local $rowBytes i32) (local $xv v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $s f32)
    (local.set $rowBytes (i32.shl (local.get $co) (i32.const 2)))
    (block $done16
      (loop $blocks16
        (br_if $done16 (i32.gt_s (i32.add (local.get $k) (i32.const 16)) (local.get $co)))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $a1 (v128.const i32x4 0 0 0 0))
        (local.set $a2 (v128.const i32x4 0 0 0 0))
        (local.set $a3 (v128.const i32x4 0 0 0 0))
        (local.set $xq (local.get $xp))
        (local.set $dq (i32.add (local.get $dyp) (i32.shl (local.get $k) (i32.const 2))))
        (local.set $p (local.get $count))
        (loop $positions
          (local.set $xv (f32x4.splat (f32.load (local.get $xq))))
          (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $xv) (v128.load offset=0 (local.get $dq)))))
          (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $xv) (v128.load offset=16 (local.get $dq)))))
          (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $xv) (v128.load offset=32 (local.get $dq)))))
          (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $xv) (v128.load offset=48 (local.get $dq)))))
          (local.set $xq (i32.add (local.get $xq) (local.get $xstep)))
          (local.set $dq (i32.add (local.get $dq) (local.get $rowBytes)))
          (local.set $p (i32.sub (local.get $p) (i32.const 1)))
          (br_if $positions (local.get $p)))
        (local.set $dq (i32.add (local.get $dwp) (i32.shl (local.get $k) (i32.const 2))))
        (v128.store offset=0 (local.get $dq) (f32x4.add (v128.load offset=0 (local.get $dq)) (local.get $a0)))
        (v128.store offset=16 (local.get $dq) (f32x4.add (v128.load offset=16 (local.get $dq)) (local.get $a1)))
        (v128.store offset=32 (local.get $dq) (f32x4.add (v128.load offset=32 (local.get $dq)) (local.get $a2)))
        (v128.store offset=48 (local.get $dq) (f32x4.add (v128.load offset=48 (local.get $dq)) (local.get $a3)))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br $blocks16)))
    (block $done4
      (loop $blocks4
        (br_if $done4 (i32.gt_s (i32.add (local.get $k) (i32.const 4)) (local.get $co)))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $xq (local.get $xp))
        (local.set $dq (i32.add (local.get $dyp) (i32.shl (local.get $k) (i32.const 2))))
        (local.set $p (local.get $count))
        (loop $positions4
          (local.set $a0 (f32x4.add (local.get $a0)
            (f32x4.mul (f32x4.splat (f32.load (local.get $xq))) (v128.load (local.get $dq)))))
          (local.set $xq (i32.add (local.get $xq) (local.get $xstep)))
          (local.set $dq (i32.add (local.get $dq) (local.get $rowBytes)))
          (local.set $p (i32.sub (local.get $p) (i32.const 1)))
          (br_if $positions4 (local.get $p)))
        (local.set $dq (i32.add (local.get $dwp) (i32.shl (local.get $k) (i32.const 2))))
        (v128.store (local.get $dq) (f32x4.add (v128.load (local.get $dq)) (local.get $a0)))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (br $blocks4)))
    (block $done1
      (loop $blocks1
        (br_if $done1 (i32.ge_s (local.get $k) (local.get $co)))
        (local.set $s (f32.const 0))
        (local.set $xq (local.get $xp))
        (local.set $dq (i32.add (local.get $dyp) (i32.shl (local.get $k) (i32.const 2))))
        (local.set $p (local.get $count))
        (loop $positions1
          (local.set $s (f32.add (local.get $s) (f32.mul (f32.load (local.get $xq)) (f32.load (local.get $dq)))))
          (local.set $xq (i32.add (local.get $xq) (local.get $xstep)))
          (local.set $dq (i32.add (local.get $dq) (local.get $rowBytes)))
          (local.set $p (i32.sub (local.get $p) (i32.const 1)))
          (br_if $positions1 (local.get $p)))
        (local.set $dq (i32.add (local.get $dwp) (i32.shl (local.get $k) (i32.const 2))))
        (f32.store (local.get $dq) (f32.add (f32.load (local.get $dq)) (local.get $s)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $blocks1))))

  ;; Conv2DBackpropFilter, direct: dw[i, j, ci, co] = Σ_{b, y, x} X[b, y·sh + i − top, x·sw + j − left, ci] · dY[b, y, x, co]
  ;; (x [n, h, w, c], dy [n, oh, ow, co], dw [fh, fw, c, co]). Per output row and tap, the valid output columns are
  ;; one run, accumulated in registers over the row (the dy row stays in L1 across the taps) and added to dw.
  (func (export "conv2d_backprop_filter")
    (param $x i32) (param $dy i32) (param $dw i32)
    (param $n i32) (param $h i32) (param $w i32) (param $c i32)
    (param $oh i32) (param $ow i32) (param $co i32)
    (param $fh i32) (param $fw i32) (param $sh i32) (param $sw i32) (param $top i32) (param $left i32)
    (local $b i32) (local $y i32) (local $i i32) (local $j i32) (local $ci i32) (local $r i32)
    (local $lo i32) (local $hi i32) (local $xstep i32) (local $xrow i32) (local $dyrow i32) (local $dwtap i32)
    (memory.fill (local.get $dw) (i32.const 0)
      (i32.shl (i32.mul (i32.mul (i32.mul (local.get $fh) (local.get $fw)) (local.get $c)) (local.get $co)) (i32.const 2)))
    (local.set $xstep (i32.shl (i32.mul (local.get $sw) (local.get $c)) (i32.const 2)))
    (block $doneB (loop $batch
      (br_if $doneB (i32.ge_s (local.get $b) (local.get $n)))
      (local.set $y (i32.const 0))
      (block $doneY (loop $rows
        (br_if $doneY (i32.ge_s (local.get $y) (local.get $oh)))
        (local.set $dyrow (i32.add (local.get $dy)
          (i32.shl (i32.mul (i32.mul (i32.add (i32.mul (local.get $b) (local.get $oh)) (local.get $y)) (local.get $ow))
            (local.get $co)) (i32.const 2))))
        (local.set $i (i32.const 0))
        (block $doneI (loop $tapRows
          (br_if $doneI (i32.ge_s (local.get $i) (local.get $fh)))
          (local.set $r (i32.sub (i32.add (i32.mul (local.get $y) (local.get $sh)) (local.get $i)) (local.get $top)))
          (if (i32.and (i32.ge_s (local.get $r) (i32.const 0)) (i32.lt_s (local.get $r) (local.get $h)))
            (then
              (local.set $xrow (i32.mul (i32.add (i32.mul (local.get $b) (local.get $h)) (local.get $r)) (local.get $w)))
              (local.set $j (i32.const 0))
              (block $doneJ (loop $tapCols
                (br_if $doneJ (i32.ge_s (local.get $j) (local.get $fw)))
                ;; Output columns whose tap j reads a real input column: [lo, hi).
                (local.set $lo (call $min (local.get $ow)
                  (call $max (i32.const 0) (call $ceil_div (i32.sub (local.get $left) (local.get $j)) (local.get $sw)))))
                (local.set $hi (call $max (local.get $lo) (call $min (local.get $ow)
                  (call $ceil_div (i32.sub (i32.add (local.get $w) (local.get $left)) (local.get $j)) (local.get $sw)))))
                (if (i32.lt_s (local.get $lo) (local.get $hi))
                  (then
                    (local.set $dwtap (i32.mul (i32.add (i32.mul (local.get $i) (local.get $fw)) (local.get $j)) (local.get $c)))
                    (local.set $ci (i32.const 0))
                    (block $doneC (loop $channels
                      (br_if $doneC (i32.ge_s (local.get $ci) (local.get $c)))
                      (call $accumulate_row
                        (i32.add (local.get $x) (i32.shl (i32.add (i32.mul (i32.add (local.get $xrow)
                          (i32.sub (i32.add (i32.mul (local.get $lo) (local.get $sw)) (local.get $j)) (local.get $left)))
                          (local.get $c)) (local.get $ci)) (i32.const 2)))
                        (local.get $xstep)
                        (i32.add (local.get $dyrow) (i32.shl (i32.mul (local.get $lo) (local.get $co)) (i32.const 2)))
                        (local.get $co)
                        (i32.add (local.get $dw) (i32.shl (i32.mul (i32.add (local.get $dwtap) (local.get $ci)) (local.get $co))
                          (i32.const 2)))
                        (i32.sub (local.get $hi) (local.get $lo)))
                      (local.set $ci (i32.add (local.get $ci) (i32.const 1)))
                      (br $channels)))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $tapCols)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $tapRows)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $rows)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $batch))))

  ;; MaxPoolGrad: dx = 0, then for every window and channel dx[first maximum of x in the window] += dy. "First
  ;; maximum" = the first element greater than −∞ and than all before it in row-major window order (the cpu backend's
  ;; choice); a window of only NaN/−∞ passes nothing. `tiles` (only when the windows cover every input element exactly
  ;; once and c is a multiple of 4) writes dx outright instead of zeroing it first and adding: 0.2 ms less on MNIST. Four channels at a time, in two passes over the window (its
  ;; maximum, then the first element equal to it) with lane masks instead of branches; gradients are added, as windows
  ;; may overlap.
  (func (export "max_pool_grad")
    (param $x i32) (param $dy i32) (param $dx i32)
    (param $n i32) (param $h i32) (param $w i32) (param $c i32) (param $oh i32) (param $ow i32)
    (param $fh i32) (param $fw i32) (param $sh i32) (param $sw i32) (param $top i32) (param $left i32) (param $tiles i32)
    (local $b i32) (local $yo i32) (local $xo i32) (local $r i32) (local $col i32) (local $ch i32)
    (local $rs i32) (local $re i32) (local $cs i32) (local $ce i32) (local $off i32) (local $dyp i32) (local $image i32)
    (local $best v128) (local $found v128) (local $g v128) (local $m v128) (local $o i32) (local $bs f32) (local $ao i32)
    (local $rowBytes i32) (local $pixelBytes i32)
    (if (i32.eqz (local.get $tiles)) (then (memory.fill (local.get $dx) (i32.const 0)
      (i32.shl (i32.mul (i32.mul (i32.mul (local.get $n) (local.get $h)) (local.get $w)) (local.get $c)) (i32.const 2)))))
    (local.set $rowBytes (i32.shl (i32.mul (local.get $w) (local.get $c)) (i32.const 2)))
    (local.set $pixelBytes (i32.shl (local.get $c) (i32.const 2)))
    (local.set $dyp (local.get $dy))
    (block $doneB (loop $batch
      (br_if $doneB (i32.ge_s (local.get $b) (local.get $n)))
      (local.set $image (i32.mul (i32.mul (local.get $b) (local.get $h)) (local.get $rowBytes)))
      (local.set $yo (i32.const 0))
      (block $doneY (loop $outRows
        (br_if $doneY (i32.ge_s (local.get $yo) (local.get $oh)))
        (local.set $rs (i32.sub (i32.mul (local.get $yo) (local.get $sh)) (local.get $top)))
        (local.set $re (call $min (i32.add (local.get $rs) (local.get $fh)) (local.get $h)))
        (local.set $rs (call $max (local.get $rs) (i32.const 0)))
        (local.set $xo (i32.const 0))
        (block $doneX (loop $outCols
          (br_if $doneX (i32.ge_s (local.get $xo) (local.get $ow)))
          (local.set $cs (i32.sub (i32.mul (local.get $xo) (local.get $sw)) (local.get $left)))
          (local.set $ce (call $min (i32.add (local.get $cs) (local.get $fw)) (local.get $w)))
          (local.set $cs (call $max (local.get $cs) (i32.const 0)))
          (if (i32.and (i32.lt_s (local.get $rs) (local.get $re)) (i32.lt_s (local.get $cs) (local.get $ce)))
            (then
              (local.set $ch (i32.const 0))
              (block $done4 (loop $channels4
                (br_if $done4 (i32.gt_s (i32.add (local.get $ch) (i32.const 4)) (local.get $c)))
                ;; Pass 1: the window's maximum per lane (pmax: NaN never wins, as with a strict > scan).
                (local.set $best (v128.const f32x4 -inf -inf -inf -inf))
                (local.set $r (local.get $rs))
                (loop $maxRows
                  (local.set $off (i32.add (i32.add (local.get $image) (i32.mul (local.get $r) (local.get $rowBytes)))
                    (i32.shl (i32.add (i32.mul (local.get $cs) (local.get $c)) (local.get $ch)) (i32.const 2))))
                  (local.set $col (local.get $cs))
                  (loop $maxCols
                    (local.set $best (f32x4.pmax (local.get $best) (v128.load (i32.add (local.get $x) (local.get $off)))))
                    (local.set $off (i32.add (local.get $off) (local.get $pixelBytes)))
                    (local.set $col (i32.add (local.get $col) (i32.const 1)))
                    (br_if $maxCols (i32.lt_s (local.get $col) (local.get $ce))))
                  (local.set $r (i32.add (local.get $r) (i32.const 1)))
                  (br_if $maxRows (i32.lt_s (local.get $r) (local.get $re))))
                ;; Pass 2: dy goes to the first element equal to it; lanes whose maximum is −∞ (or none) take nothing.
                (local.set $found (v128.not (f32x4.gt (local.get $best) (v128.const f32x4 -inf -inf -inf -inf))))
                (local.set $g (v128.load (i32.add (local.get $dyp) (i32.shl (local.get $ch) (i32.const 2)))))
                (local.set $r (local.get $rs))
                (loop $gradRows
                  (local.set $off (i32.add (i32.add (local.get $image) (i32.mul (local.get $r) (local.get $rowBytes)))
                    (i32.shl (i32.add (i32.mul (local.get $cs) (local.get $c)) (local.get $ch)) (i32.const 2))))
                  (local.set $col (local.get $cs))
                  (loop $gradCols
                    (local.set $m (v128.andnot
                      (f32x4.eq (v128.load (i32.add (local.get $x) (local.get $off))) (local.get $best))
                      (local.get $found)))
                    (local.set $found (v128.or (local.get $found) (local.get $m)))
                    (local.set $o (i32.add (local.get $dx) (local.get $off)))
                    (if (local.get $tiles)
                      (then (v128.store (local.get $o) (v128.and (local.get $g) (local.get $m))))
                      (else (v128.store (local.get $o)
                        (f32x4.add (v128.load (local.get $o)) (v128.and (local.get $g) (local.get $m))))))
                    (local.set $off (i32.add (local.get $off) (local.get $pixelBytes)))
                    (local.set $col (i32.add (local.get $col) (i32.const 1)))
                    (br_if $gradCols (i32.lt_s (local.get $col) (local.get $ce))))
                  (local.set $r (i32.add (local.get $r) (i32.const 1)))
                  (br_if $gradRows (i32.lt_s (local.get $r) (local.get $re))))
                (local.set $ch (i32.add (local.get $ch) (i32.const 4)))
                (br $channels4)))
              (block $done1 (loop $channels1
                (br_if $done1 (i32.ge_s (local.get $ch) (local.get $c)))
                (local.set $bs (f32.const -inf))
                (local.set $ao (i32.const -1))
                (local.set $r (local.get $rs))
                (loop $windowRows1
                  (local.set $col (local.get $cs))
                  (loop $windowCols1
                    (local.set $off (i32.add (i32.add (local.get $image) (i32.mul (local.get $r) (local.get $rowBytes)))
                      (i32.shl (i32.add (i32.mul (local.get $col) (local.get $c)) (local.get $ch)) (i32.const 2))))
                    (if (f32.gt (f32.load (i32.add (local.get $x) (local.get $off))) (local.get $bs)) (then
                      (local.set $bs (f32.load (i32.add (local.get $x) (local.get $off))))
                      (local.set $ao (local.get $off))))
                    (local.set $col (i32.add (local.get $col) (i32.const 1)))
                    (br_if $windowCols1 (i32.lt_s (local.get $col) (local.get $ce))))
                  (local.set $r (i32.add (local.get $r) (i32.const 1)))
                  (br_if $windowRows1 (i32.lt_s (local.get $r) (local.get $re))))
                (if (i32.ge_s (local.get $ao) (i32.const 0)) (then
                  (local.set $o (i32.add (local.get $dx) (local.get $ao)))
                  (f32.store (local.get $o) (f32.add (f32.load (local.get $o))
                    (f32.load (i32.add (local.get $dyp) (i32.shl (local.get $ch) (i32.const 2))))))))
                (local.set $ch (i32.add (local.get $ch) (i32.const 1)))
                (br $channels1)))))
          (local.set $dyp (i32.add (local.get $dyp) (i32.shl (local.get $c) (i32.const 2))))
          (local.set $xo (i32.add (local.get $xo) (i32.const 1)))
          (br $outCols)))
        (local.set $yo (i32.add (local.get $yo) (i32.const 1)))
        (br $outRows)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $batch))))

  ;; Sum over leading axes: out[k] = Σ_r x[r·cols + k]. Blocks of 64 rows are summed in f32x4 registers and the block
  ;; sums added to float64 accumulators in `scratch` (cols doubles), so long sums stay as exact as the cpu backend's.
  (func (export "sum_rows") (param $x i32) (param $out i32) (param $scratch i32) (param $rows i32) (param $cols i32)
    (local $r0 i32) (local $nr i32) (local $k i32) (local $p i32) (local $q i32) (local $left i32) (local $rowBytes i32)
    (local $acc v128) (local $s f64)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (memory.fill (local.get $scratch) (i32.const 0) (i32.shl (local.get $cols) (i32.const 3)))
    (block $doneR (loop $blocks
      (br_if $doneR (i32.ge_s (local.get $r0) (local.get $rows)))
      (local.set $nr (call $min (i32.const 64) (i32.sub (local.get $rows) (local.get $r0))))
      (local.set $k (i32.const 0))
      (block $done4 (loop $cols4
        (br_if $done4 (i32.gt_s (i32.add (local.get $k) (i32.const 4)) (local.get $cols)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $p (i32.add (local.get $x)
          (i32.shl (i32.add (i32.mul (local.get $r0) (local.get $cols)) (local.get $k)) (i32.const 2))))
        (local.set $left (local.get $nr))
        (loop $sum4
          (local.set $acc (f32x4.add (local.get $acc) (v128.load (local.get $p))))
          (local.set $p (i32.add (local.get $p) (local.get $rowBytes)))
          (local.set $left (i32.sub (local.get $left) (i32.const 1)))
          (br_if $sum4 (local.get $left)))
        (local.set $q (i32.add (local.get $scratch) (i32.shl (local.get $k) (i32.const 3))))
        (v128.store offset=0 (local.get $q)
          (f64x2.add (v128.load offset=0 (local.get $q)) (f64x2.promote_low_f32x4 (local.get $acc))))
        (v128.store offset=16 (local.get $q)
          (f64x2.add (v128.load offset=16 (local.get $q))
            (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $acc) (local.get $acc)))))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (br $cols4)))
      (block $done1 (loop $cols1
        (br_if $done1 (i32.ge_s (local.get $k) (local.get $cols)))
        (local.set $s (f64.const 0))
        (local.set $p (i32.add (local.get $x)
          (i32.shl (i32.add (i32.mul (local.get $r0) (local.get $cols)) (local.get $k)) (i32.const 2))))
        (local.set $left (local.get $nr))
        (loop $sum1
          (local.set $s (f64.add (local.get $s) (f64.promote_f32 (f32.load (local.get $p)))))
          (local.set $p (i32.add (local.get $p) (local.get $rowBytes)))
          (local.set $left (i32.sub (local.get $left) (i32.const 1)))
          (br_if $sum1 (local.get $left)))
        (local.set $q (i32.add (local.get $scratch) (i32.shl (local.get $k) (i32.const 3))))
        (f64.store (local.get $q) (f64.add (f64.load (local.get $q)) (local.get $s)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $cols1)))
      (local.set $r0 (i32.add (local.get $r0) (i32.const 64)))
      (br $blocks)))
    (local.set $k (i32.const 0))
    (block $doneOut (loop $demote
      (br_if $doneOut (i32.ge_s (local.get $k) (local.get $cols)))
      (f32.store (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 2)))
        (f32.demote_f64 (f64.load (i32.add (local.get $scratch) (i32.shl (local.get $k) (i32.const 3))))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $demote))))

  ;; out[r, k] = a[r, k] + b[k] (a [rows, cols], b [cols]): the bias add of conv and dense layers.
  (func (export "add_bias") (param $a i32) (param $b i32) (param $out i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $k i32) (local $rowBytes i32) (local $kb i32)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (block $doneR (loop $rowsLoop
      (br_if $doneR (i32.ge_s (local.get $r) (local.get $rows)))
      (local.set $k (i32.const 0))
      (block $done4 (loop $cols4
        (br_if $done4 (i32.gt_s (i32.add (local.get $k) (i32.const 4)) (local.get $cols)))
        (local.set $kb (i32.shl (local.get $k) (i32.const 2)))
        (v128.store (i32.add (local.get $out) (local.get $kb))
          (f32x4.add (v128.load (i32.add (local.get $a) (local.get $kb))) (v128.load (i32.add (local.get $b) (local.get $kb)))))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (br $cols4)))
      (block $done1 (loop $cols1
        (br_if $done1 (i32.ge_s (local.get $k) (local.get $cols)))
        (local.set $kb (i32.shl (local.get $k) (i32.const 2)))
        (f32.store (i32.add (local.get $out) (local.get $kb))
          (f32.add (f32.load (i32.add (local.get $a) (local.get $kb))) (f32.load (i32.add (local.get $b) (local.get $kb)))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $cols1)))
      (local.set $a (i32.add (local.get $a) (local.get $rowBytes)))
      (local.set $out (i32.add (local.get $out) (local.get $rowBytes)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rowsLoop))))

  ;; C = Aᵀ·B for A [k, m], B [k, n] (C [m, n]) with n small: Cᵀ row by row into `scratch` ([n, m]: one
  ;; accumulate_row pass over A per column of B, m in f32x4 lanes), then transposed into C.
  (func (export "matmul_at_b") (param $a i32) (param $b i32) (param $c i32) (param $scratch i32)
    (param $k i32) (param $m i32) (param $n i32)
    (local $j i32) (local $i i32) (local $mBytes i32)
    (local.set $mBytes (i32.shl (local.get $m) (i32.const 2)))
    (memory.fill (local.get $scratch) (i32.const 0) (i32.mul (local.get $mBytes) (local.get $n)))
    (block $doneJ (loop $columns
      (br_if $doneJ (i32.ge_s (local.get $j) (local.get $n)))
      (call $accumulate_row
        (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2)))
        (i32.shl (local.get $n) (i32.const 2))
        (local.get $a)
        (local.get $m)
        (i32.add (local.get $scratch) (i32.mul (local.get $j) (local.get $mBytes)))
        (local.get $k))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $columns)))
    (block $doneI (loop $rows
      (br_if $doneI (i32.ge_s (local.get $i) (local.get $m)))
      (local.set $j (i32.const 0))
      (loop $cols
        (f32.store (local.get $c)
          (f32.load (i32.add (local.get $scratch)
            (i32.shl (i32.add (i32.mul (local.get $j) (local.get $m)) (local.get $i)) (i32.const 2)))))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $cols (i32.lt_s (local.get $j) (local.get $n))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows))))

  ;; Conv2D, direct, for few input channels and co a multiple of 4: out[b, y, x, o] = Σ_{i, j, ci}
  ;; X[b, y·sh + i·dh − top, x·sw + j·dw − left, ci] · W[i, j, ci, o]. Per output pixel, the taps inside the input are
  ;; a rectangle [i0, i1) × [j0, j1) walked with pointer steps; 16 output channels at a time in four f32x4
  ;; accumulators (then 4 at a time).
  (func (export "conv2d")
    (param $x i32) (param $wt i32) (param $out i32)
    (param $n i32) (param $h i32) (param $w i32) (param $c i32) (param $oh i32) (param $ow i32) (param $co i32)
    (param $fh i32) (param $fw i32) (param $sh i32) (param $sw i32) (param $dh i32) (param $dw i32)
    (param $top i32) (param $left i32)
    (local $b i32) (local $y i32) (local $xo i32) (local $k i32) (local $ci i32)
    (local $i0 i32) (local $i1 i32) (local $j0 i32) (local $j1 i32) (local $r0 i32) (local $c0 i32)
    (local $ii i32) (local $jj i32) (local $xr i32) (local $wr i32) (local $xq i32) (local $wq i32) (local $xp i32) (local $wp i32)
    (local $xpix i32) (local $wpix i32) (local $tapBytes i32) (local $coBytes i32) (local $pixelBytes i32) (local $rowBytes i32)
    (local $run i32) (local $jn i32)
    (local $xv v128) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $coBytes (i32.shl (local.get $co) (i32.const 2)))
    (local.set $tapBytes (i32.mul (local.get $c) (local.get $coBytes)))
    (local.set $pixelBytes (i32.shl (local.get $c) (i32.const 2)))
    (local.set $rowBytes (i32.mul (local.get $w) (local.get $pixelBytes)))
    (block $doneB (loop $batch
      (br_if $doneB (i32.ge_s (local.get $b) (local.get $n)))
      (local.set $y (i32.const 0))
      (block $doneY (loop $rows
        (br_if $doneY (i32.ge_s (local.get $y) (local.get $oh)))
        (local.set $r0 (i32.sub (i32.mul (local.get $y) (local.get $sh)) (local.get $top)))
        (local.set $i0 (call $max (i32.const 0) (call $ceil_div (i32.sub (i32.const 0) (local.get $r0)) (local.get $dh))))
        (local.set $i1 (call $min (local.get $fh) (call $ceil_div (i32.sub (local.get $h) (local.get $r0)) (local.get $dh))))
        (local.set $xo (i32.const 0))
        (block $doneX (loop $cols
          (br_if $doneX (i32.ge_s (local.get $xo) (local.get $ow)))
          (local.set $c0 (i32.sub (i32.mul (local.get $xo) (local.get $sw)) (local.get $left)))
          (if (i32.and (i32.ge_s (local.get $c0) (i32.const 0))
                (i32.lt_s (i32.add (local.get $c0) (i32.mul (i32.sub (local.get $fw) (i32.const 1)) (local.get $dw))) (local.get $w)))
            (then
              (local.set $j0 (i32.const 0))
              (local.set $j1 (local.get $fw)))
            (else
              (local.set $j0 (call $max (i32.const 0) (call $ceil_div (i32.sub (i32.const 0) (local.get $c0)) (local.get $dw))))
              (local.set $j1 (call $min (local.get $fw) (call $ceil_div (i32.sub (local.get $w) (local.get $c0)) (local.get $dw))))))
          ;; x at tap (i0, j0) and W at tap (i0, j0).
          (local.set $xpix (i32.add (i32.add (local.get $x)
            (i32.mul (i32.add (i32.mul (local.get $b) (local.get $h)) (i32.add (local.get $r0) (i32.mul (local.get $i0) (local.get $dh))))
              (local.get $rowBytes)))
            (i32.mul (i32.add (local.get $c0) (i32.mul (local.get $j0) (local.get $dw))) (local.get $pixelBytes))))
          (local.set $wpix (i32.add (local.get $wt)
            (i32.mul (i32.add (i32.mul (local.get $i0) (local.get $fw)) (local.get $j0)) (local.get $tapBytes))))
          (local.set $k (i32.const 0))
          (block $doneK (loop $blocks
            (br_if $doneK (i32.ge_s (local.get $k) (local.get $co)))
            (local.set $a0 (v128.const i32x4 0 0 0 0))
            (local.set $a1 (v128.const i32x4 0 0 0 0))
            (local.set $a2 (v128.const i32x4 0 0 0 0))
            (local.set $a3 (v128.const i32x4 0 0 0 0))
            (if (i32.and (i32.lt_s (local.get $i0) (local.get $i1)) (i32.lt_s (local.get $j0) (local.get $j1))) (then
              (local.set $xr (local.get $xpix))
              (local.set $wr (i32.add (local.get $wpix) (i32.shl (local.get $k) (i32.const 2))))
              (local.set $ii (i32.sub (local.get $i1) (local.get $i0)))
              ;; Undilated columns: a tap row's (j, ci) are one contiguous run in x and in W, walked as one loop.
              (if (i32.eq (local.get $dw) (i32.const 1))
                (then
                  (local.set $run (i32.mul (i32.sub (local.get $j1) (local.get $j0)) (local.get $c)))
                  (local.set $jn (i32.const 1)))
                (else
                  (local.set $run (local.get $c))
                  (local.set $jn (i32.sub (local.get $j1) (local.get $j0)))))
              (loop $tapRows
                (local.set $xq (local.get $xr))
                (local.set $wq (local.get $wr))
                (local.set $jj (local.get $jn))
                (loop $tapCols
                  (local.set $xp (local.get $xq))
                  (local.set $wp (local.get $wq))
                  (local.set $ci (local.get $run))
                  (if (i32.le_s (i32.add (local.get $k) (i32.const 16)) (local.get $co))
                    (then
                      (loop $channels16
                        (local.set $xv (f32x4.splat (f32.load (local.get $xp))))
                        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $xv) (v128.load offset=0 (local.get $wp)))))
                        (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $xv) (v128.load offset=16 (local.get $wp)))))
                        (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $xv) (v128.load offset=32 (local.get $wp)))))
                        (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $xv) (v128.load offset=48 (local.get $wp)))))
                        (local.set $xp (i32.add (local.get $xp) (i32.const 4)))
                        (local.set $wp (i32.add (local.get $wp) (local.get $coBytes)))
                        (local.set $ci (i32.sub (local.get $ci) (i32.const 1)))
                        (br_if $channels16 (local.get $ci))))
                    (else
                      (loop $channels4
                        (local.set $a0 (f32x4.add (local.get $a0)
                          (f32x4.mul (f32x4.splat (f32.load (local.get $xp))) (v128.load (local.get $wp)))))
                        (local.set $xp (i32.add (local.get $xp) (i32.const 4)))
                        (local.set $wp (i32.add (local.get $wp) (local.get $coBytes)))
                        (local.set $ci (i32.sub (local.get $ci) (i32.const 1)))
                        (br_if $channels4 (local.get $ci)))))
                  (local.set $xq (i32.add (local.get $xq) (i32.mul (local.get $dw) (local.get $pixelBytes))))
                  (local.set $wq (i32.add (local.get $wq) (local.get $tapBytes)))
                  (local.set $jj (i32.sub (local.get $jj) (i32.const 1)))
                  (br_if $tapCols (local.get $jj)))
                (local.set $xr (i32.add (local.get $xr) (i32.mul (local.get $dh) (local.get $rowBytes))))
                (local.set $wr (i32.add (local.get $wr) (i32.mul (local.get $fw) (local.get $tapBytes))))
                (local.set $ii (i32.sub (local.get $ii) (i32.const 1)))
                (br_if $tapRows (local.get $ii)))))
            (v128.store offset=0 (local.get $out) (local.get $a0))
            (if (i32.le_s (i32.add (local.get $k) (i32.const 16)) (local.get $co))
              (then
                (v128.store offset=16 (local.get $out) (local.get $a1))
                (v128.store offset=32 (local.get $out) (local.get $a2))
                (v128.store offset=48 (local.get $out) (local.get $a3))
                (local.set $out (i32.add (local.get $out) (i32.const 64)))
                (local.set $k (i32.add (local.get $k) (i32.const 16))))
              (else
                (local.set $out (i32.add (local.get $out) (i32.const 16)))
                (local.set $k (i32.add (local.get $k) (i32.const 4)))))
            (br $blocks)))
          (local.set $xo (i32.add (local.get $xo) (i32.const 1)))
          (br $cols)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $rows)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $batch))))
)
