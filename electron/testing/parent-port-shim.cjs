// Loaded (--require) into the tests' stand-in for an Electron utility process, a plain Node child
// process: gives it `process.parentPort` as Electron does, over the child's IPC channel. Electron
// delivers each message as an event whose `data` is the message.
const { EventEmitter } = require('node:events');

const port = new EventEmitter();
port.postMessage = (message) => {
  if (process.connected) process.send(message);
};
process.on('message', (data) => port.emit('message', { data }));
process.parentPort = port;
