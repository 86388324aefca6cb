// Reference density of a uniform circle of radius r blurred by N(0, σ² I₂), by the trapezoid
// rule in float64 over the angle (exponentially accurate for this smooth periodic integrand):
// p(x) = (1/M) Σ_m N(x; r(cos θ_m, sin θ_m), σ² I), θ_m = 2πm/M.
export function blurredCircleDensity(x: number, y: number, r: number, sigma: number, m = 4000): number {
  let s = 0;
  for (let k = 0; k < m; k++) {
    const th = (2 * Math.PI * k) / m;
    s += Math.exp(-((x - r * Math.cos(th)) ** 2 + (y - r * Math.sin(th)) ** 2) / (2 * sigma * sigma));
  }
  return s / m / (2 * Math.PI * sigma * sigma);
}
