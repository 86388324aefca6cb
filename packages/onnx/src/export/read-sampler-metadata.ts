import { onnxProto } from '../proto/onnx-proto.js';
import { OnnxError } from './onnx-error.js';
import { onnxSamplerMetadataSchema, SAMPLER_METADATA_KEY, type OnnxSamplerMetadata } from './sampler-metadata.js';

/**
 * The `pfm.sampler` metadata of the ONNX model `bytes` (written by `exportOnnx`), validated; a
 * file that is not ONNX, or an ONNX model not exported by pfm, is an error that says so.
 */
export function readSamplerMetadata(bytes: Uint8Array, source = 'onnx model'): OnnxSamplerMetadata {
  let props: { key: string; value: string }[];
  try {
    props = onnxProto.decode(bytes).metadataProps ?? [];
  } catch (error) {
    throw new OnnxError(`${source}: not an ONNX model (${(error as Error).message})`, { cause: error });
  }
  const entry = props.find((p) => p.key === SAMPLER_METADATA_KEY);
  if (!entry) throw new OnnxError(`${source}: no "${SAMPLER_METADATA_KEY}" metadata; export the model with pfm's exportOnnx`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(entry.value);
  } catch (error) {
    throw new OnnxError(`${source}: metadata "${SAMPLER_METADATA_KEY}" is not JSON`, { cause: error });
  }
  const result = onnxSamplerMetadataSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new OnnxError(`${source}: metadata "${SAMPLER_METADATA_KEY}".${issue.path.map(String).join('.')}: ${issue.message}`);
  }
  return result.data;
}
