import { readFile } from 'node:fs/promises';
import { decodeCheckpoint, encodeCheckpoint, ModelFileError, type Checkpoint, type DecodedCheckpoint } from '@pfm/core';
import { writeFileAtomic } from '@pfm/core/node';

/** Where `pfm train --out MODEL` writes its checkpoints: `MODEL.ckpt.json`. */
export function checkpointPathFor(out: string): string {
  return `${out}.ckpt.json`;
}

/** Writes a checkpoint and the recipe that made it, atomically (never a half-written file). */
export async function writeCheckpointFile(path: string, checkpoint: Checkpoint, recipe: Record<string, unknown>): Promise<void> {
  await writeFileAtomic(path, encodeCheckpoint(checkpoint, recipe));
}

/** Reads and validates a checkpoint file; the caller disposes its tensors (disposeCheckpoint). */
export async function readCheckpointFile(path: string): Promise<DecodedCheckpoint> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${(error as Error).message})`;
    throw new ModelFileError(path, '', `the checkpoint ${reason}`, { cause: error });
  }
  return decodeCheckpoint(text, path);
}
