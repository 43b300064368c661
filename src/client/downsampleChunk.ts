// What lazyDownsampled.ts loads on first use, as one chunk: the downsampled read and the live
// window with the downsamplers they share. Imported only through import(): a module the package
// entry re-exports cannot itself be the target of import(), or esbuild keeps it in the entry.
export { readDownsampled } from './readDownsampled.js';
export { liveDownsampled } from '../streams/liveDownsampled.js';
