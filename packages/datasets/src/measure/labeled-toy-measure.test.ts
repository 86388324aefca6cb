import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '@pfm/core';
import { eightGaussians } from '../generators/8gaussians.js';
import { moons } from '../generators/moons.js';
import { checkerboard } from '../generators/checkerboard.js';

describe('labelled toy data sets: sampleWithCondition', () => {
  it('draws the points sample() draws, with each point’s own class (8gaussians mode, moons moon, checkerboard cell)', () => {
    const before = tf.memory().numTensors;
    const cases = [
      { measure: eightGaussians({ std: 1e-3 }), classes: 8 },
      { measure: moons({ noise: 0 }), classes: 2 },
      { measure: checkerboard(), classes: 8 },
    ];
    for (const { measure, classes } of cases) {
      expect(measure.condition).toEqual({ kind: 'class', classes });
      const plain = measure.sample(400, createRng(4));
      const { x, condition } = measure.sampleWithCondition(400, createRng(4));
      expect(Array.from(x.dataSync())).toEqual(Array.from(plain.dataSync()));
      expect(condition.dtype).toBe('int32');
      expect(new Set(condition.dataSync())).toEqual(new Set(Array.from({ length: classes }, (_, k) => k)));
      tf.dispose([plain, x, condition]);
    }
    // Each label says where its point is.
    const radius = 4 / 1.414;
    const g = eightGaussians({ std: 1e-3 }).sampleWithCondition(200, createRng(1));
    const gx = g.x.arraySync();
    g.condition.dataSync().forEach((k, i) => {
      expect(gx[i]![0]).toBeCloseTo(radius * Math.cos((k * Math.PI) / 4), 1);
      expect(gx[i]![1]).toBeCloseTo(radius * Math.sin((k * Math.PI) / 4), 1);
    });
    // FFJORD moons without noise: the upper moon (label 0) is the unit half circle around (−1, −0.2)·…; scale 2.
    const m = moons({ noise: 0 }).sampleWithCondition(200, createRng(2));
    const mx = m.x.arraySync();
    m.condition.dataSync().forEach((label, i) => {
      const [px, py] = [(mx[i]![0]! + 1) / 2, (mx[i]![1]! + 0.2) / 2];
      const [cx, cy] = label === 0 ? [0, 0] : [1, 0.5];
      expect(Math.hypot(px - cx, py - cy)).toBeCloseTo(1, 4);
    });
    // Checkerboard (scale 2): cell 2·(i + 2) + b is the black square of column i, lower (b = 1) or upper (b = 0).
    const c = checkerboard().sampleWithCondition(300, createRng(3));
    const cxs = c.x.arraySync();
    c.condition.dataSync().forEach((label, i) => {
      const column = Math.floor(cxs[i]![0]! / 2);
      const row = Math.floor(cxs[i]![1]! / 2);
      expect(2 * (column + 2) + (row < 0 ? 1 : 0)).toBe(label);
    });
    tf.dispose([g.x, g.condition, m.x, m.condition, c.x, c.condition]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
