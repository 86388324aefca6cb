import type { Registry } from '@pfm/core';
import { createDefaultRegistry } from '@pfm/plugins';

/** Every plugin the tour knows: the default plugins. */
export function tourRegistry(): Registry {
  return createDefaultRegistry();
}
