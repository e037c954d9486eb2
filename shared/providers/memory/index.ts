export { MemoryCloud } from './cloud';
export type { MemoryFaults } from './cloud';
export { MemoryProvider, memoryProviders } from './provider';
