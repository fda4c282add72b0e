/**
 * The fork floor's child: an empty module that does what a task process
 * minimally does, wait the task's duration (argv[2], ms) and send one message.
 * Listening keeps its IPC channel open, as a task process's is, until the
 * parent disconnects; only then does it exit, so its exit can never overtake
 * its message.
 */
process.on('message', () => undefined);
setTimeout(() => process.send?.('done'), Number(process.argv[2]));
