// Types of scripts/build-cli.mjs for the TypeScript that imports it (the bench, the tests).
export function buildCli(root?: string): Promise<{ dir: string; bundle: string; manifest: string; inputs: number; bytes: number }>;
export function cliBundleOptions(root?: string, outfile?: string): Record<string, unknown>;
