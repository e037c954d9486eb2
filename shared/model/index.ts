export * from './network';
export * from './peering';
export * from './scope';
export * from './plan';
export * from './estate';
export * from './transit';
