/**
 * A table of numbers read from or written to a data file: `rows` samples of dimension `cols`.
 * `values` is row-major, so entry (i, j) is `values[i * cols + j]`; a point cloud [n, d] is a
 * table with `rows = n`, `cols = d`.
 */
export interface DataTable {
  /** Number of rows (samples), n. */
  rows: number;
  /** Number of columns (dimension), d. */
  cols: number;
  /** The n·d values, row-major, float32. */
  values: Float32Array;
  /** Column names, when the file had a header row; `header.length === cols`. */
  header?: string[];
  /**
   * The shape of one row when it is more than a vector (`[h, w, c]` for images, from an `.npy`
   * of shape `(n, h, w, c)`, or `(n, h, w)` read as c = 1); its product is `cols` and a row is
   * the sample in row-major order. The encoders accept exactly three positive integers; `.npy`
   * writes it as `(n, h, w, c)`, CSV and JSON write the flat rows.
   */
  shape?: number[];
}

/** Options shared by every data-file parser. */
export interface DataParseOptions {
  /** Name used in error messages, usually the file name as the user typed it. Default `"data"`. */
  source?: string;
  /**
   * Largest table accepted, in bytes of float32 values (4 · rows · cols). Declared sizes above it
   * are refused before anything is allocated. Default 2^31 bytes (2 GiB).
   */
  maxBytes?: number;
}

/** Default `maxBytes` of the data parsers: 2^31 bytes of float32 values. */
export const DEFAULT_MAX_DATA_BYTES = 2 ** 31;
