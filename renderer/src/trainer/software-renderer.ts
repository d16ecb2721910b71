// Tells a software renderer (the CPU drawing through a GPU API) from a GPU by the adapter's name.

/** Chromium's SwiftShader, Mesa's llvmpipe/softpipe, Windows' WARP ("Microsoft Basic Render Driver"). */
export function isSoftwareRenderer(adapter: string): boolean {
  return /swiftshader|llvmpipe|softpipe|software|basic render driver|\bwarp\b/i.test(adapter);
}
