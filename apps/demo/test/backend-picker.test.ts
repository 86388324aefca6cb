import { describe, expect, it } from 'vitest';
import { webgpuUnavailableReason } from '../src/page/backend-picker.js';

// Whether the page offers WebGPU, decided from the page's own globals (the browser run in
// demo.test.ts has navigator.gpu; these are the browsers that do not).
describe('webgpuUnavailableReason', () => {
  it('offers WebGPU where navigator.gpu exists', () => {
    expect(webgpuUnavailableReason({ isSecureContext: true, navigator: { gpu: {} } })).toBeUndefined();
  });

  it('says the page is not secure when that is why navigator.gpu is missing', () => {
    expect(webgpuUnavailableReason({ isSecureContext: false, navigator: {} })).toBe('WebGPU needs a secure page (https:// or http://localhost); this one is not');
  });

  it('says the browser has no WebGPU otherwise (also with no navigator at all, as in Node)', () => {
    const reason = 'this browser has no WebGPU (navigator.gpu is missing; Chromium-based browsers have it)';
    expect(webgpuUnavailableReason({ isSecureContext: true, navigator: { gpu: null } })).toBe(reason);
    expect(webgpuUnavailableReason({})).toBe(reason);
  });
});
