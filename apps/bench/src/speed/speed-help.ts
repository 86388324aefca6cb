// The text of `pnpm bench:speed --help`, with the case ids the suite registers (speed-cases.ts).

const INDENT = ' '.repeat('pnpm bench:speed '.length);
const WIDTH = 100;

/** The `--cases` choices as `[--cases a,b,…]` lines of at most WIDTH columns (an id is never split). */
function casesLines(caseIds: readonly string[]): string[] {
  const lines: string[] = [];
  let line = `${INDENT}[--cases `;
  caseIds.forEach((id, i) => {
    const piece = `${id}${i === caseIds.length - 1 ? ']' : ','}`;
    if (line.length + piece.length > WIDTH && !line.endsWith('[--cases ')) {
      lines.push(line);
      line = `${INDENT}         `;
    }
    line += piece;
  });
  lines.push(line);
  return lines;
}

/** `pnpm bench:speed --help`: the flags, and every id `--cases` takes (`caseIds`, in table order). */
export function speedHelp(caseIds: readonly string[]): string {
  return [
    'pnpm bench:speed [--out DIR] [--repeats 5] [--train-steps 50] [--points 4096] [--w2-budget 300] [--no-w2] [--quick]',
    `${INDENT}[--sinkhorn-sizes 1024,4096] [--pot-iterations 1000] [--no-sinkhorn]`,
    ...casesLines(caseIds),
    `${INDENT}[--profile] [--profile-steps 10] [--browser]`,
    'pnpm bench:speed --cnf-recipes 300 [--cnf-seeds 0,1,2] [--cnf-candidates midpoint-2,euler-2,…] [--out DIR]',
    'pnpm bench:speed --cnf-products [--repeats 5] [--train-steps 50] [--out DIR]',
    '',
    '--cnf-recipes STEPS runs only the CNF recipe comparison: each training solver and divergence of',
    'speed/cnf-recipes.ts trained STEPS steps per seed on moons (one wasm thread), with its steps per',
    'CPU second, held-out NLL and W2; writes cnf-recipes.json and cnf-recipes.md. --cnf-candidates',
    'keeps only the candidates with those ids, in that order (speed-ups are against the first).',
    '',
    '--cnf-products times the matrix products of one CNF and one flow-matching training step alone',
    '(train-cnf-moons, train-fm-moons; one wasm thread): the products each step runs are recorded,',
    'replayed on operands of the same shapes, and timed in CPU seconds against whole steps, alternating',
    '--repeats times --train-steps CNF steps (ten times as many flow-matching steps); the bound is the',
    'steps per CPU second a step would reach if everything but its products cost nothing. Writes',
    'cnf-products.json and cnf-products.md.',
    '',
    '--browser adds a column: the same cases on WebGPU in headless Chromium (PFM_CHROMIUM, else',
    '/usr/bin/chromium), with the adapter they ran on; without a GPU that is SwiftShader, the GPU',
    'emulated on the CPU, whose timings say nothing about a real GPU. Use --cases to keep it short.',
    '',
  ].join('\n');
}
