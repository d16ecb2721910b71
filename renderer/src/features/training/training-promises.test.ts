// The pure parts of the training panel's promises: the primary metric first, the phase line, the backend menu's
// entries, software renderers named as such, and `metrics.primary` refused when it names no metric.
import { describe, expect, it } from 'vitest';
import { Manifest } from '../../../../shared/manifest';
import { isSoftwareRenderer } from '../../trainer/software-renderer';
import { backendChoices } from '../machine/backend-choices';
import { phaseText } from './phase-text';
import { primaryFirst } from './primary-metric';

const manifest = (metrics: unknown, task = 'classification') => ({
  name: 'm',
  task,
  data: { train: 't.csv', label: 'y' },
  model: { layers: [{ type: 'dense', units: 2 }] },
  metrics,
});

describe('metrics.primary', () => {
  it('is refused with the key and the known names when it names no metric of the task', () => {
    const parsed = Manifest.safeParse(manifest({ primary: 'f1' }));
    expect(parsed.success).toBe(false);
    const issue = parsed.error!.issues[0]!;
    expect(issue.path).toEqual(['metrics', 'primary']);
    expect(issue.message).toBe('unknown classification metric "f1"; known: accuracy, precision_macro, recall_macro, f1_macro, precision_weighted, recall_weighted, f1_weighted, log_loss, roc_auc');
    expect(Manifest.safeParse(manifest({ primary: 'f1_macro' })).success).toBe(true);
    expect(Manifest.safeParse(manifest({ primary: 'f1_macro' }, 'regression')).error?.issues[0]?.message).toMatch(/^unknown regression metric "f1_macro"; known: mse, rmse, mae, r2$/);
  });

  it('leads the metrics shown, the others keeping their order', () => {
    const metrics = { accuracy: 0.9, roc_auc: 0.95, f1_macro: 0.8 };
    expect(primaryFirst(metrics, 'f1_macro').map(([k]) => k)).toEqual(['f1_macro', 'accuracy', 'roc_auc']);
    expect(primaryFirst(metrics, null).map(([k]) => k)).toEqual(['accuracy', 'roc_auc', 'f1_macro']);
    expect(primaryFirst(metrics, 'mse').map(([k]) => k)).toEqual(['accuracy', 'roc_auc', 'f1_macro']);
  });
});

describe('the line before the first epoch', () => {
  it('says which backend is being measured, then what the model is built on', () => {
    expect(phaseText({ step: 'measuring', backend: 'wasm', done: 0, total: 4 }, null)).toMatch(/^Measuring backends: wasm 1\/4/);
    expect(phaseText({ step: 'loading', backend: null, done: 0, total: 0 }, null)).toBe('Loading data…');
    expect(phaseText(null, 'CPU (WebAssembly SIMD)')).toBe('Building the model on CPU (WebAssembly SIMD)…');
  });
});

describe('the backend menu', () => {
  const rows = [
    { backend: 'webgl', runsIn: 'chromium' as const, installed: true, reason: null, lastProbe: null },
    { backend: 'webgpu', runsIn: 'chromium' as const, installed: true, reason: null, lastProbe: null },
    { backend: 'tfjs-node', runsIn: 'training process' as const, installed: false, reason: '@tensorflow/tfjs-node is not installed', lastProbe: null },
    { backend: 'wasm', runsIn: 'training process' as const, installed: true, reason: null, lastProbe: null },
  ];
  const browser = [
    { backend: 'webgpu' as const, device: null, software: false, reason: 'no WebGPU adapter' },
    { backend: 'webgl' as const, device: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)))', software: true, reason: null },
  ];

  it('offers what exists, shows the rest disabled with why, and names a software renderer', () => {
    const choices = backendChoices(rows, browser);
    const of = (v: string) => choices.find((c) => c.value === v)!;
    expect(of('auto').unavailable).toBeNull();
    expect(of('wasm').unavailable).toBeNull();
    expect(of('tfjs-node').unavailable).toBe('@tensorflow/tfjs-node is not installed');
    expect(of('webgpu').label).toBe('webgpu — unavailable: no WebGPU adapter');
    expect(of('webgl').label).toMatch(/^webgl \(software renderer, not a GPU: ANGLE .*SwiftShader/);
  });

  it('says it is still checking until this machine has answered', () => {
    expect(backendChoices(undefined, null).find((c) => c.value === 'wasm')!.label).toBe('wasm (checking…)');
  });
});

describe('software renderers', () => {
  it('are told from GPUs by the adapter name', () => {
    expect(isSoftwareRenderer('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)')).toBe(true);
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('Microsoft Basic Render Driver')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (NVIDIA, NVIDIA GeForce RTX 3080 Direct3D11 vs_5_0 ps_5_0)')).toBe(false);
    expect(isSoftwareRenderer('Apple M2')).toBe(false);
  });
});
