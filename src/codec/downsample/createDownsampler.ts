import { BucketDownsampler } from './BucketDownsampler.js';
import { isM4Spec, type DownsampleSpec } from './DownsampleSpec.js';
import type { Downsampler } from './Downsampler.js';
import { M4Downsampler } from './M4Downsampler.js';

/**
 * A fresh {@link Downsampler} for `spec` (buckets for `every`, M4 for `points`). Check the spec
 * with `downsampleSpecProblem` first: this takes it as valid.
 */
export function createDownsampler(spec: DownsampleSpec): Downsampler {
  return isM4Spec(spec) ? new M4Downsampler(spec) : new BucketDownsampler(spec);
}
