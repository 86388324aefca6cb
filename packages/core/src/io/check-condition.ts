// The `condition` field of a model file, checked by the encoder and the decoder (internal).
import type { ConditionSpec } from '../contracts/condition.js';
import { parseConditionSpec } from '../model/condition-spec.js';
import type { Fail } from './model-file-checks.js';

/** `value` as a ConditionSpec, or `fail(path, why)`. */
export function checkCondition(value: unknown, path: string, fail: Fail): ConditionSpec {
  try {
    return parseConditionSpec(value, path);
  } catch (error) {
    // parseConditionSpec names the field first ("condition.classes: …"); fail names it itself.
    const message = (error as Error).message;
    const colon = message.indexOf(': ');
    return fail(message.slice(0, colon), message.slice(colon + 2));
  }
}
