// The significance mark in words and a symbol, so it never rests on colour alone.
export function significanceText(significant: boolean, delta: number, trained = true): string {
  if (!trained) return 'not trained';
  if (!significant) return 'within noise';
  return delta < 0 ? '▼ significant' : '▲ significant';
}
