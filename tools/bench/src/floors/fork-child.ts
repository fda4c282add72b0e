/**
 * The fork floor's child: an empty module that does what a task process
 * minimally does, wait the task's duration (argv[2], ms) and send one message.
 * The parent then disconnects, which lets it exit.
 */
setTimeout(() => process.send?.('done'), Number(process.argv[2]));
