// The score's default weights, the one definition for the core, the CLI and the UI (no imports: the CLI's --help
// reads it without loading anything else).

/** α weighs G (code), β D (docs and data), γ PQ (interaction), δ M (effect on the model): C = α·G + β·D + γ·PQ + δ·M.
 * δ is 0 by default: M needs a model analysis (Results & credit, `impact --model`). */
export const DEFAULT_WEIGHTS: Readonly<{ alpha: number; beta: number; gamma: number; delta: number }> = Object.freeze({ alpha: 0.6, beta: 0.25, gamma: 0.15, delta: 0 });
