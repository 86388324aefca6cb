// `pnpm bench`: the quality matrix (configs × data sets × seeds) → results.json, results.md, SVG plots;
// `pnpm bench --suite parity`: the same recipes in pfm and in a PyTorch twin → parity.json, parity.md;
// `pnpm bench --suite mnist`: image samplers of every family on MNIST → mnist.json, mnist.md, sample grids;
// `pnpm bench --suite curriculum`: one-step generators with and without the diffusion-path curriculum → curriculum.json, curriculum.md.
// `pnpm bench --suite guidance`: class-conditional samplers of every family on labelled 8gaussians against guidance → guidance.json, guidance.md.
// `pnpm bench --suite spectral`: particles moved by the OU flow and by the D₂ gradient flow over Hermite polynomials → spectral.json, spectral.md.
// `pnpm bench --suite soak`: 10⁵ steps of a small image model with numTensors and RSS flat → soak.json, soak.md.
import { resolve } from 'node:path';
import { useBackend } from '@pfm/core';
import { cpu } from '@pfm/backend-cpu';
import { wasm } from '@pfm/backend-wasm';
import { parseBenchArgs, splitSuite } from './cli/bench-args.js';
import { parseCurriculumArgs } from './curriculum/curriculum-args.js';
import { runCurriculum } from './curriculum/run-curriculum.js';
import { parseGuidanceArgs } from './guidance/guidance-args.js';
import { runGuidance } from './guidance/run-guidance.js';
import { runMatrix } from './matrix/run-matrix.js';
import { parseMnistArgs } from './mnist/mnist-args.js';
import { runMnist } from './mnist/run-mnist.js';
import { parseParityArgs } from './parity/parity-args.js';
import { runParity } from './parity/run-parity.js';
import { benchRegistry } from './registry/bench-registry.js';
import { runSoakSuite } from './soak/run-soak-suite.js';
import { parseSpectralArgs } from './spectral/spectral-args.js';
import { runSpectral } from './spectral/run-spectral.js';

try {
  const { suite, rest } = splitSuite(process.argv.slice(2));
  if (suite === 'parity') {
    const args = parseParityArgs(rest);
    if (args) {
      await useBackend(wasm({ threads: args.threads }));
      await runParity(args, benchRegistry(), (line) => process.stderr.write(`${line}\n`));
      process.stderr.write(`results: ${resolve(args.out, 'parity.md')}\n`);
    }
  } else if (suite === 'mnist') {
    const args = parseMnistArgs(rest);
    if (args) {
      await useBackend(wasm({ threads: args.threads }));
      await runMnist(args, benchRegistry(), (line) => process.stderr.write(`${line}\n`));
      process.stderr.write(`results: ${resolve(args.out, 'mnist.md')}\n`);
    }
  } else if (suite === 'curriculum') {
    const args = parseCurriculumArgs(rest);
    if (args) {
      await useBackend(wasm({ threads: args.threads }));
      await runCurriculum(args, benchRegistry(), (line) => process.stderr.write(`${line}\n`));
      process.stderr.write(`results: ${resolve(args.out, 'curriculum.md')}\n`);
    }
  } else if (suite === 'guidance') {
    const args = parseGuidanceArgs(rest);
    if (args) {
      await useBackend(wasm({ threads: args.threads }));
      await runGuidance(args, benchRegistry(), (line) => process.stderr.write(`${line}\n`));
      process.stderr.write(`results: ${resolve(args.out, 'guidance.md')}\n`);
    }
  } else if (suite === 'spectral') {
    const args = parseSpectralArgs(rest);
    if (args) {
      await useBackend(wasm({ threads: 1 }));
      runSpectral(args, (line) => process.stderr.write(`${line}\n`));
      process.stderr.write(`results: ${resolve(args.out, 'spectral.md')}\n`);
    }
  } else if (suite === 'soak') {
    if (!(await runSoakSuite(rest, benchRegistry(), (line) => process.stderr.write(`${line}\n`)))) process.exitCode = 1;
  } else {
    const args = parseBenchArgs(rest);
    if (args) {
      const backend = await useBackend(args.backend === 'cpu' ? cpu() : wasm(args.threads ? { threads: args.threads } : {}));
      const records = await runMatrix(args, benchRegistry(), backend);
      const failed = records.filter((r) => r.status === 'failed').length;
      process.stderr.write(`results: ${resolve(args.out, 'results.md')} (${records.length} runs, ${failed} failed)\n`);
    }
  }
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
