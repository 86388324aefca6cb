// Property test of the data-file readers' refusals (fast-check, fixed seed): the command line
// prints an error as one line, so every DataFileError message of a mutated CSV, JSON or .npy file
// must be one line and start with the file's name — JSON.parse's messages quote the text around
// the fault, line ends included, and used to break the line.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataFileError } from './data-file-error.js';
import type { DataFormat } from './data-format.js';
import { decodeDataFile } from './decode-data-file.js';
import { encodeDataFile } from './encode-data-file.js';
import { applyMutations, dataTable, fuzzHere, fuzzParameters, mutation, textJunk } from './fuzz-support.js';
import { parseJsonRows } from './parse-json-rows.js';
import { parseNpy } from './parse-npy.js';

describe.skipIf(!fuzzHere)('data-file refusals under fuzzing', () => {
  it('every refusal of a mutated file is one line naming the file', () => {
    fc.assert(
      fc.property(dataTable, fc.constantFrom<DataFormat>('csv', 'json', 'npy'), fc.array(mutation(textJunk), { minLength: 1, maxLength: 4 }), (table, format, ms) => {
        const bytes = applyMutations(encodeDataFile(table, format), ms);
        try {
          decodeDataFile(bytes, { format, source: `m.${format}` });
        } catch (error) {
          expect(error).toBeInstanceOf(DataFileError);
          const message = (error as Error).message;
          expect(message.startsWith(`m.${format}: `), message).toBe(true);
          expect(message, message).not.toMatch(/[\r\n]/);
        }
      }),
      fuzzParameters(107, 600),
    );
  });
});

describe('data-file refusals', () => {
  it('invalid JSON across lines: JSON.parse\'s quote of the text keeps its line ends escaped', () => {
    expect(() => parseJsonRows('S[1],\n[0]', { source: 'y.json' })).toThrow(/^y\.json: invalid JSON: .*"S\[1\],\\n\[0\]".* is not valid JSON$/);
  });

  it('a .npy header key or dtype holding a control character is shown escaped', () => {
    const npy = (header: string) => {
      const text = header.padEnd(117, ' ') + '\n';
      return Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, text.length, 0, ...Array.from(text, (c) => c.charCodeAt(0))]);
    };
    expect(() => parseNpy(npy("{'descr': '<f4', 'fortran\r_order': False, 'shape': (1,), }"), { source: 'k.npy' })).toThrow("k.npy: unexpected key 'fortran\\r_order' in the .npy header");
    expect(() => parseNpy(npy("{'descr': '<f\x014', 'fortran_order': False, 'shape': (1,), }"), { source: 'k.npy' })).toThrow("k.npy: unsupported dtype '<f\\x014'");
  });
});
