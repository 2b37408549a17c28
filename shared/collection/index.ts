// Counter fee collection (柜台收费): pure rules shared by the back end and the counter screen.

export * from './types';
export * from './penalty';
export * from './allocation';
export * from './counter';
export * from './closing';
export * from './disconnection';
export * from './words';
export * from './tender';
