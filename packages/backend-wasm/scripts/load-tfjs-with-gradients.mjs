// tfjs-core with its gradients, for the timing scripts. tfjs-core's Node entry registers no
// gradients, and its ESM gradient modules use extensionless imports, which Node's ESM loader
// refuses: a resolve hook retries them with '.js' before they are imported.
import { register } from 'node:module';

const retryWithJs = `
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    const code = error && error.code;
    if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_UNSUPPORTED_DIR_IMPORT') && !specifier.endsWith('.js')) {
      return next(specifier + '.js', context);
    }
    throw error;
  }
}`;
register(`data:text/javascript,${encodeURIComponent(retryWithJs)}`);

export const tf = await import('@tensorflow/tfjs-core');
await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
