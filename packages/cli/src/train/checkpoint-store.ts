import { readFile } from 'node:fs/promises';
import { decodeCheckpoint, encodeCheckpoint, ModelFileError, type Checkpoint, type DecodedCheckpoint } from '@pfm/core';
import { writeFileAtomic } from '@pfm/core/node';
import { jsonFileKind, wrongFileKindError } from '../io/json-file-kind.js';

/** Where `pfm train --out MODEL` writes its checkpoints: `MODEL.ckpt.json`. */
export function checkpointPathFor(out: string): string {
  return `${out}.ckpt.json`;
}

/** Writes a checkpoint and the recipe that made it, atomically (never a half-written file). */
export async function writeCheckpointFile(path: string, checkpoint: Checkpoint, recipe: Record<string, unknown>): Promise<void> {
  await writeFileAtomic(path, encodeCheckpoint(checkpoint, recipe));
}

/**
 * Reads and validates a checkpoint file; the caller disposes its tensors (disposeCheckpoint). A
 * model file given instead is an error that says so.
 */
export async function readCheckpointFile(path: string): Promise<DecodedCheckpoint> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${(error as Error).message})`;
    throw new ModelFileError(path, '', `the checkpoint ${reason}`, { cause: error });
  }
  try {
    return decodeCheckpoint(text, path);
  } catch (error) {
    const found = jsonFileKind(parsedOrUndefined(text));
    if (found === 'model file') throw wrongFileKindError('--resume', path, found, 'checkpoint', { cause: error });
    throw error;
  }
}

function parsedOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
