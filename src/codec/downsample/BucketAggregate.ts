/**
 * How the points of one time bucket become one value: `mean`, `min`, `max` and `sum` over the
 * numeric values (`null`, `true` and `false` are left out; a bucket with no number gives `null`),
 * `first` and `last` the value of the bucket's first / last point whatever it is, `count` every
 * point of the bucket, literals included.
 */
export type BucketAggregate = 'mean' | 'min' | 'max' | 'first' | 'last' | 'sum' | 'count';

/** Every {@link BucketAggregate}, in the order the docs list them. */
export const BUCKET_AGGREGATES: readonly BucketAggregate[] = ['mean', 'min', 'max', 'first', 'last', 'sum', 'count'];

/** True when `text` names a {@link BucketAggregate}. */
export function isBucketAggregate(text: string): text is BucketAggregate {
  return (BUCKET_AGGREGATES as readonly string[]).includes(text);
}
