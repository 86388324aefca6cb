import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { groupRowsByClass } from './group-rows-by-class.js';

describe('groupRowsByClass', () => {
  it('lists each present class once, in increasing order, with its rows in order', () => {
    const before = tf.memory().numTensors;
    const labels = tf.tensor1d([3, 0, 3, 1, 0, 3], 'int32');
    expect(groupRowsByClass(labels)).toEqual([
      { label: 0, rows: [1, 4] },
      { label: 1, rows: [3] },
      { label: 3, rows: [0, 2, 5] },
    ]);
    // Float labels (a label file read as float32) group the same way.
    const floats = tf.tensor1d([2, 2, 0]);
    expect(groupRowsByClass(floats)).toEqual([
      { label: 0, rows: [2] },
      { label: 2, rows: [0, 1] },
    ]);
    expect(groupRowsByClass([])).toEqual([]);
    tf.dispose([labels, floats]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a non-integer label and a tensor that is not [n], naming the field', () => {
    const before = tf.memory().numTensors;
    expect(() => groupRowsByClass([0, 1.5], 'batch labels')).toThrow('batch labels: label 1.5 at row 1 is not an integer class label');
    const matrix = tf.zeros([2, 2]);
    expect(() => groupRowsByClass(matrix)).toThrow('labels: expected class labels [n], got a tensor of shape [2, 2]');
    matrix.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
