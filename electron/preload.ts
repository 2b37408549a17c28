// The preload runs sandboxed with context isolation: it gives the page one function and nothing
// else — no ipcRenderer, no Node. Job progress uses the `jobs.watch` long poll through the same
// function, so the page needs no event API.
import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_NAME, INVOKE_CHANNEL, type GridDeskBridge } from './shell-bridge';

const bridge: GridDeskBridge = {
  invoke: (name, input, options) => ipcRenderer.invoke(INVOKE_CHANNEL, name, input, options),
};

contextBridge.exposeInMainWorld(BRIDGE_NAME, bridge);
