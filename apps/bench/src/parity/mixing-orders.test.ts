// --mixing-orders: the file is checked before anything trains, and the orders reach the recipes of
// realnvp / nsf (both sides read the same recipe) for the (dim, seed) it names, and no other.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseParityArgs } from './parity-args.js';
import { mixingOrdersFor, readMixingOrders } from './mixing-orders.js';
import { runRecipe } from './run-parity.js';

const dir = mkdtempSync(join(tmpdir(), 'pfm-mixing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('parity --mixing-orders', () => {
  const orders = [
    [1, 0, 3, 2],
    [2, 3, 0, 1],
    [3, 1, 0, 2],
  ];
  const good = file('good.json', JSON.stringify({ nsf: { 4: { 1: orders } } }));

  it('puts the orders of (method, d, seed) into that run recipe only', () => {
    const read = readMixingOrders(good);
    expect(mixingOrdersFor(read, 'nsf', 4, 1)).toEqual(orders);
    expect(runRecipe('nsf', 10, 1, 4, read).options).toEqual({ mixingOrders: orders });
    expect(runRecipe('nsf', 10, 1, 4, read).seed).toBe(1);
    expect(runRecipe('nsf', 10, 0, 4, read).options).toEqual({});
    expect(runRecipe('nsf', 10, 1, 8, read).options).toEqual({});
    expect(runRecipe('realnvp', 10, 1, 4, read).options).toEqual({});
    expect(runRecipe('flow-matching', 10, 1, 4, read).options).toEqual({ sigma: 0 });
    expect(runRecipe('nsf', 10, 1, 4, undefined).options).toEqual({});
    expect(parseParityArgs(['--mixing-orders', good])!.mixingOrders).toBe(good);
  });

  it('refuses a file that is not JSON, names a method without mixing layers, or holds something else than orders', () => {
    expect(() => readMixingOrders(file('bad.json', '{nsf'))).toThrow(/--mixing-orders .*bad\.json: not readable JSON/);
    expect(() => readMixingOrders(file('fm.json', '{"flow-matching": {}}'))).toThrow(/"flow-matching" is not a coupling flow \(expected realnvp or nsf\)/);
    expect(() => readMixingOrders(file('list.json', '[]'))).toThrow(/expected an object \{ method: \{ dim: \{ seed/);
    expect(() => readMixingOrders(file('seed.json', '{"nsf": {"4": {"0": [[0, 1.5]]}}}'))).toThrow(/nsf\.4\.0 must be a list of orders/);
    expect(() => readMixingOrders(join(dir, 'absent.json'))).toThrow(/absent\.json: not readable JSON/);
    expect(() => parseParityArgs(['--mixing-orders'])).toThrow(/--mixing-orders needs a JSON file/);
  });
});
