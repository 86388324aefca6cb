// For tests: a model through the text of a model file and back, with @pfm/core's
// modelToContent → encodeModelFile → decodeModelFile → modelFromContent.
import { decodeModelFile, encodeModelFile, modelFromContent, modelToContent, type Model, type Registry } from '@pfm/core';

/** Rebuilds `model` from its model-file text with `registry`; the caller disposes the copy. */
export function saveAndLoad(model: Model, registry: Registry): Model {
  const { json } = encodeModelFile(modelToContent(model, registry, { steps: 1 }));
  return modelFromContent(decodeModelFile(json), registry);
}
