/**
 * The Chromium command-line flags under which a page gets WebGPU with the synchronous reads tfjs
 * needs, also headless and without a GPU: pass them to the browser launcher (Playwright's
 * `chromium.launch({ args: [...CHROMIUM_WEBGPU_FLAGS, …] })`) beside the caller's own flags
 * (`--headless=new`, `--no-sandbox`, …). The pfm tests and the speed suite's browser column all
 * start Chromium with these.
 *
 * Why each (measured on Debian's Chromium 156, headless; see the README, "Synchronous reads"):
 * without the last three, `dataSync()` on webgpu returns zeros with no error and the device is lost
 * afterwards, and `webgpu().init()` refuses the backend. The last two choose SwiftShader, the GPU
 * emulated on the CPU: what runs under these flags is SwiftShader, not the machine's GPU.
 */
export const CHROMIUM_WEBGPU_FLAGS: readonly string[] = Object.freeze([
  // WebGPU itself: off by default in Chromium on Linux, and for adapters on the blocklist such as SwiftShader.
  '--enable-unsafe-webgpu',
  // Vulkan for Chromium's GPU process on Linux (OpenGL otherwise), which the two below configure.
  '--enable-features=Vulkan',
  // Vulkan by SwiftShader: a WebGPU adapter where the machine has no GPU (vendor google, architecture swiftshader).
  '--use-vulkan=swiftshader',
  // ANGLE (WebGL and 2-D canvases) on SwiftShader too, so that a WebGPU canvas can be drawn onto a
  // 2-D canvas: tfjs-backend-webgpu 4.22 reads the GPU synchronously (`dataSync`) that way.
  '--use-angle=swiftshader',
]);
