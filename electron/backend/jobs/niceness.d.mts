// Types of niceness.mjs for the TypeScript that imports it (threadMain.ts).
export function setThreadNiceness(niceness: number | undefined): void;
