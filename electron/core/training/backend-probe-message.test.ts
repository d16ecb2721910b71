// The one line when no backend can train a model: the real reason once, first; backends merely not installed after.
import { describe, expect, it } from 'vitest';
import { noBackendMessage } from './auto-backend.js';

describe('noBackendMessage', () => {
  it('says the shared reason once, naming the backends it stopped, before the ones not installed', () => {
    const message = noBackendMessage([
      { backend: 'tfjs-node-gpu', device: null, samplesPerSecond: null, reason: '@tensorflow/tfjs-node-gpu is not installed (npm install @tensorflow/tfjs-node-gpu)' },
      { backend: 'tfjs-node', device: null, samplesPerSecond: null, reason: '@tensorflow/tfjs-node is not installed (npm install @tensorflow/tfjs-node)' },
      { backend: 'wasm', device: 'CPU', samplesPerSecond: null, reason: 'Layer "conv" does not fit: negative dimension' },
      { backend: 'cpu', device: 'CPU', samplesPerSecond: null, reason: 'Layer "conv" does not fit: negative dimension' },
    ]);
    expect(message).toBe(
      'No backend can train this model here: Layer "conv" does not fit: negative dimension (wasm, cpu); also tfjs-node-gpu: @tensorflow/tfjs-node-gpu is not installed (npm install @tensorflow/tfjs-node-gpu); tfjs-node: @tensorflow/tfjs-node is not installed (npm install @tensorflow/tfjs-node)',
    );
    expect(message.match(/negative dimension/g)).toHaveLength(1);
  });
});
