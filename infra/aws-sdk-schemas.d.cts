/** Types for the esbuild plugin that lets esbuild tree-shake AWS SDK operation schemas (aws-sdk-schemas.cjs). */
import type { Plugin } from 'esbuild';

export declare const awsSdkSchemas: Plugin;
export declare function spellOutSchemaKeys(source: string): string;
