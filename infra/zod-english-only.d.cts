/** Types for the esbuild plugin that keeps only zod's English messages (zod-english-only.cjs). */
import type { Plugin } from 'esbuild';

declare const zodEnglishOnly: Plugin;
export = zodEnglishOnly;
