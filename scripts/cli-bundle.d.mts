// Types of scripts/cli-bundle.mjs for the TypeScript that imports it (the tests).
export interface BundlePaths {
  dir: string;
  bundle: string;
  manifest: string;
  cache(kind: 'version' | 'full'): string;
  /** The job threads' bundle, built with the command's (absent in a hand-made set of paths: not checked). */
  jobThread?: string;
  jobThreadCache?: string;
}
export const ROOT: string;
export const MANIFEST_VERSION: number;
export function distDir(root?: string): string;
export function bundlePaths(root?: string): BundlePaths;
export function cacheKind(argv: string[]): 'version' | 'full';
export function isFresh(paths?: BundlePaths, root?: string): boolean;
export function runBundle(paths?: BundlePaths, argv?: string[]): void;
export function runJobThreadBundle(bundle: { file: string; cache: string }): void;
