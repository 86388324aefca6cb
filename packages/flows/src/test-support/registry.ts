import { corePlugin, createRegistry, type Registry } from '@pfm/core';
import { ipmPlugin } from '@pfm/ipm';
import { flowsPlugin } from '../plugin/flows-plugin.js';

/** A registry with core's maps, @pfm/ipm's discrepancies and this package's entries. */
export function testRegistry(): Registry {
  return createRegistry({ plugins: [corePlugin, ipmPlugin, flowsPlugin] });
}
