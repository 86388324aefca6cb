// The merge rule of the suites' `--merge`: records of runs made apart, keyed by run, where a
// finished record is kept over a failed one and of two finished ones the folder listed later wins;
// folders whose settings differ do not belong in one table and are refused.

/** One folder's records and the label of the settings they were run with. */
export interface MergeSource<R> {
  dir: string;
  records: readonly R[];
  /**
   * The settings (steps, sizes, …) of the whole folder, or of each record where the records carry
   * them; every folder and record must agree.
   */
  settings: string | ((record: R) => string);
}

/**
 * Merges the folders' records by `key`; logs each folder's count of records kept; throws when two
 * records' settings differ, naming the first folder of each setting. Returns the merged records
 * and the one settings label (undefined when there are no records).
 */
export function mergeRecords<R extends { status: string }>(
  sources: readonly MergeSource<R>[],
  key: (record: R) => string,
  log: (line: string) => void,
): { records: R[]; settings: string | undefined } {
  const merged = new Map<string, R>();
  const settings = new Map<string, string>();
  for (const { dir, records, settings: label } of sources) {
    let kept = 0;
    if (typeof label === 'string') settings.set(label, settings.get(label) ?? dir);
    for (const record of records) {
      if (typeof label !== 'string') {
        const l = label(record);
        settings.set(l, settings.get(l) ?? dir);
      }
      const k = key(record);
      const earlier = merged.get(k);
      if (earlier && earlier.status === 'ok' && record.status !== 'ok') continue;
      merged.set(k, record);
      kept++;
    }
    log(`${dir}: ${records.length} records, ${kept} kept`);
  }
  if (settings.size > 1) {
    const found = [...settings].map(([label, dir]) => `${label} (${dir})`).join('; ');
    throw new Error(`--merge: the folders were run with different settings, which do not belong in one table: ${found}`);
  }
  return { records: [...merged.values()], settings: [...settings.keys()][0] };
}
