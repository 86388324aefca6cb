// The broadcasts a host elementwise kernel runs itself. With out = broadcast(a, b) of size > 0:
//   same:   size(a) = size(b) = size(out): both read at the output's flat index (a padded shape
//           of full size can only be out's shape);
//   scalar: one side has one element;
//   tile:   one side is out's trailing block repeated (its shape without leading 1s equals out's
//           last axes, e.g. a bias [c] against [..., c]), read at (flat index mod its size).
// Anything else ([n, 1] against [1, m], ...) is left to the stock kernel.

/** How the elements of a and b line up with the output's. */
export type BroadcastPattern =
  | { kind: 'same' }
  | { kind: 'scalar'; side: 'a' | 'b' }
  | { kind: 'tile'; side: 'a' | 'b'; block: number }
  | { kind: 'other' };

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function isTrailingBlock(shape: readonly number[], outShape: readonly number[]): boolean {
  let first = 0;
  while (first < shape.length && shape[first] === 1) first++;
  const tail = shape.slice(first);
  if (tail.length > outShape.length) return false;
  const offset = outShape.length - tail.length;
  return tail.every((dim, i) => dim === outShape[offset + i]);
}

/** Classifies a broadcast of a [aShape] and b [bShape] to a non-empty [outShape]. */
export function broadcastPattern(aShape: readonly number[], bShape: readonly number[], outShape: readonly number[]): BroadcastPattern {
  const outSize = sizeOf(outShape);
  const aSize = sizeOf(aShape);
  const bSize = sizeOf(bShape);
  if (aSize === outSize && bSize === outSize) return { kind: 'same' };
  if (bSize === 1 && aSize === outSize) return { kind: 'scalar', side: 'b' };
  if (aSize === 1 && bSize === outSize) return { kind: 'scalar', side: 'a' };
  if (aSize === outSize && isTrailingBlock(bShape, outShape)) return { kind: 'tile', side: 'b', block: bSize };
  if (bSize === outSize && isTrailingBlock(aShape, outShape)) return { kind: 'tile', side: 'a', block: aSize };
  return { kind: 'other' };
}
