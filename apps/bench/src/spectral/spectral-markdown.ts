// The report of `--suite spectral`: per target, one table along t of the Hermite moments per degree
// (OU cloud, exact OU from X₀, each particle flow) and of the energy distance to the OU cloud against
// the seed noise of two independent OU clouds.
import type { SpectralRow } from './spectral-check.js';

/** One target's rows. */
export interface SpectralResult {
  target: string;
  particles: number;
  degree: number;
  dt: number;
  rows: SpectralRow[];
}

const fmt = (v: number) => (Number.isFinite(v) ? (Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(2)) : String(v));

/** Markdown tables for `results`. */
export function spectralMarkdown(results: SpectralResult[]): string {
  const lines = ['# Spectral check: OU flow vs the W₂ gradient flow of ½ D₂(ρ, N(0, I); τ) over Hermite polynomials', ''];
  for (const r of results) {
    const flows = Object.keys(r.rows[0]?.flows ?? {});
    lines.push(`## ${r.target} (standardised), ${r.particles} particles, degree ≤ ${r.degree}, Euler dt = ${r.dt}`, '');
    lines.push('‖m₍ⱼ₎‖ = (Σ_{|a|=j} ⟨H_a|ρ⟩²)^{1/2}: degree-j moment norm, j = 1..K; "exact OU" is e^{−jt}‖m₍ⱼ₎(X₀)‖.', '');
    lines.push(`| t | exact OU ‖m₍ⱼ₎‖ | OU cloud ‖m₍ⱼ₎‖ | ${flows.map((w) => `τ = ${w}: ‖m₍ⱼ₎‖`).join(' | ')} |`);
    lines.push(`|---|---|---|${flows.map(() => '---').join('|')}|`);
    for (const row of r.rows) {
      const cell = (v: number[]) => v.map(fmt).join(' / ');
      lines.push(`| ${row.t} | ${cell(row.exactDegreeNorms)} | ${cell(row.ouDegreeNorms)} | ${flows.map((w) => cell(row.flows[w]!.degreeNorms)).join(' | ')} |`);
    }
    lines.push('');
    lines.push(`| t | ED(OU, X₀) | seed noise ED(OU, OU′) | ${flows.map((w) => `τ = ${w}: ED(flow, OU)`).join(' | ')} | ${flows.map((w) => `τ = ${w}: ‖m − m_OU‖ per degree`).join(' | ')} |`);
    lines.push(`|---|---|---|${flows.map(() => '---').join('|')}|${flows.map(() => '---').join('|')}|`);
    for (const row of r.rows) {
      lines.push(
        `| ${row.t} | ${fmt(row.ouTravel)} | ${fmt(row.seedNoise)} | ${flows.map((w) => fmt(row.flows[w]!.energyToOu)).join(' | ')} | ${flows.map((w) => row.flows[w]!.momentError.map(fmt).join(' / ')).join(' | ')} |`,
      );
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
