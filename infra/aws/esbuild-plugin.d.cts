/** Types for the local Serverless plugin (esbuild-plugin.cjs), for the bundle benchmark and tests. */
import type { BuildOptions } from 'esbuild';

declare class PeerkeeperEsbuildPlugin {
  constructor(serverless: unknown, options?: unknown, utils?: unknown);
}
declare namespace PeerkeeperEsbuildPlugin {
  /** esbuild options for one handler: minified CommonJS for node22, mainFields module,main. */
  function esbuildOptions(entry: string, outfile: string): BuildOptions & { metafile: true };
  /** `functions/aws/sweep.handler` → `{ entry: 'functions/aws/sweep.ts', zipPath: 'functions/aws/sweep.js' }`. */
  function handlerPaths(handler: string): { entry: string; zipPath: string };
  /** A deterministic deflate zip of the files. */
  function zip(files: { name: string; data: Buffer }[]): Buffer;
}
export = PeerkeeperEsbuildPlugin;
