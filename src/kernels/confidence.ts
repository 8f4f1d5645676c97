/**
 * The confidence of a stored value r (Hu, Koren & Volinsky 2008): c = 1 + α·|r| (`logConf` 0) or
 * 1 + α·ln(1 + |r|/ε) (`logConf` 1). Written once for JavaScript: the ALS kernels' twins and the models
 * (src/models/common/confidence.ts) both call this; the WASM kernels' copy is assembly/rowsolve.ts.
 */
export function confidence(r: number, alpha: number, eps: number, logConf: number): number {
  const a = Math.abs(r);
  return logConf ? 1 + alpha * Math.log(1 + a / eps) : 1 + alpha * a;
}
