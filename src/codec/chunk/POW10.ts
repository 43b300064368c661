/** 10^0 … 10^22: the powers of ten that are exact doubles. */
export const POW10: readonly number[] = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
