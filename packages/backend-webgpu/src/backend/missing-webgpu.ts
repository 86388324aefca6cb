/** The part of the WebGPU API `init()` reads (the DOM types are not part of this package's build). */
export interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'low-power' | 'high-performance' }): Promise<unknown>;
}

/** `navigator.gpu` where it exists, else undefined (Node.js, a browser without WebGPU, an insecure page). */
export function navigatorGpu(): GpuLike | undefined {
  const scope = globalThis as { navigator?: { gpu?: GpuLike } };
  return scope.navigator?.gpu ?? undefined;
}

/**
 * Why WebGPU cannot start here, or undefined when an adapter was found: no `navigator.gpu`, or
 * `requestAdapter()` resolving to null (no adapter for this GPU and driver) or rejecting.
 */
export async function missingWebgpu(): Promise<string | undefined> {
  const gpu = navigatorGpu();
  if (gpu === undefined) {
    const secure = (globalThis as { isSecureContext?: boolean }).isSecureContext;
    return secure === false
      ? 'navigator.gpu is missing: WebGPU is only exposed to secure contexts (https:// or http://localhost)'
      : 'navigator.gpu is missing: this browser or runtime has no WebGPU (e.g. Node.js, or a browser with WebGPU disabled)';
  }
  let adapter: unknown;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (error) {
    return `navigator.gpu.requestAdapter() threw: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (adapter === null || adapter === undefined) {
    return 'navigator.gpu.requestAdapter() returned null: no WebGPU adapter for this GPU and driver (blocked or unsupported; in Chromium, --enable-unsafe-webgpu exposes the SwiftShader adapter)';
  }
  return undefined;
}
