/**
 * Index of the high and low 32-bit word of a double in a `Uint32Array` over a `Float64Array`
 * (platform byte order; the chunk bytes themselves never depend on it).
 */
export const WORD_ORDER: { readonly hi: number; readonly lo: number } =
  new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? { hi: 1, lo: 0 } : { hi: 0, lo: 1 };
