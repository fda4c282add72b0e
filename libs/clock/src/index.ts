export { epochNow } from './lib/epoch-now.js';
