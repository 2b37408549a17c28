export * from './kinds';
export * from './calendar';
export * from './limits';
export * from './segments';
export * from './dispatch';
export * from './policy';
