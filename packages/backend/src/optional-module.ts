import { reasonOf } from './init-backend.js';

/**
 * Imports an optional peer, turning "not installed" into a short reason and any other failure
 * (a native library that does not load, say) into its first line.
 */
export async function importOptional(specifier: string): Promise<unknown> {
  try {
    return await import(/* @vite-ignore */ specifier);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = reasonOf(error);
    const notFound =
      code === 'ERR_MODULE_NOT_FOUND' ||
      code === 'MODULE_NOT_FOUND' ||
      /Cannot find (module|package)|Could not resolve|Failed to resolve/.test(message);
    // A missing dependency of the package itself is a different story from the package missing.
    if (notFound && (message.includes(`'${specifier}'`) || message.includes(`"${specifier}"`))) {
      throw new Error(`${specifier} is not installed`);
    }
    throw new Error(`${specifier} did not load: ${reasonOf(error)}`);
  }
}
