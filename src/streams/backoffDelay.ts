// Moved to the retry module; kept only while writers still import it from here.
export { backoffDelay } from './retry/backoffDelay.js';
