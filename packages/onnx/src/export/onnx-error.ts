/**
 * A model, map, option or operation that cannot be exported to ONNX, or an ONNX file that pfm
 * cannot sample. The message names the field or map, the value found and what is supported;
 * nothing is written when it is thrown.
 */
export class OnnxError extends Error {
  override name = 'OnnxError';
}
