// Types of scripts/build-cli.mjs for the TypeScript that imports it (the bench, the tests).
export function buildCli(
  root?: string,
  options?: { quiet?: boolean },
): Promise<{ dir: string; bundle: string; manifest: string; jobThread: string; jobThreadCache: string; inputs: number; bytes: number; jobThreadBytes: number }>;
export function cliBundleOptions(root?: string, outfile?: string): Record<string, unknown>;
