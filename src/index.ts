// The package's only barrel: the browser-safe client. Server code is under 'timetric/server'.
export type { Point, PointValue, TimeInput } from './codec/Point.js';
export { parseTime, MAX_UNIX_SECONDS } from './codec/parseTime.js';
export { parseValue, checkValue } from './codec/parseValue.js';
export { formatIsoTime, formatUnixTime } from './codec/formatTime.js';
export { formatValue } from './codec/formatValue.js';
export { formatCsv, type CsvTimeFormat } from './codec/formatCsv.js';
export { CsvPointDecoder } from './codec/CsvPointDecoder.js';

export { TimetricError } from './errors/TimetricError.js';
export { ParseError } from './errors/ParseError.js';
export { ConfigurationError } from './errors/ConfigurationError.js';
export { HttpError, type HttpErrorDetails } from './errors/HttpError.js';
export { AuthenticationError } from './errors/AuthenticationError.js';
export { NotFoundError } from './errors/NotFoundError.js';
export { TimeoutError } from './errors/TimeoutError.js';
export { NetworkError } from './errors/NetworkError.js';
export { oauthBaseString, oauthBaseUrl, oauthSigningKey, oauthPercentEncode, type OAuthParams } from './codec/oauthBaseString.js';

export { TimetricClient, type OAuthToken } from './client/TimetricClient.js';
export { Series, DEFAULT_VALUES_OPTIONS, type WriteResult, type ValuesOptions } from './client/Series.js';
export type { TimetricConfig } from './client/TimetricConfig.js';
export { DEFAULT_CLIENT_OPTIONS, type ClientOptions, type FetchLike } from './client/ClientOptions.js';
export type { RequestSpec } from './client/RequestSpec.js';
export type { SeriesMetadata } from './client/createSeriesRequest.js';
export type { SeriesData, PointInput } from './client/encodeSeriesData.js';
export { normalizeConfig } from './client/normalizeConfig.js';
export { signOAuth, type OAuthCredentials } from './client/signOAuth.js';

export { pollLatest, DEFAULT_POLL_OPTIONS, type PollOptions, type LatestAnswer } from './streams/pollLatest.js';
export { isRetryable, RETRYABLE_STATUSES } from './streams/isRetryable.js';
export { retryAfterMs } from './streams/retryAfterMs.js';
export { backoffDelay } from './streams/backoffDelay.js';
export { documentVisibility } from './streams/documentVisibility.js';
export type { WatchOptions } from './client/Series.js';
export { writeTo } from './streams/writeTo.js';
export { batchWriter, DEFAULT_WRITE_OPTIONS, type WriteOptions, type WriteReceipt } from './streams/batchWriter.js';
export { WriteFailedError } from './errors/WriteFailedError.js';
export { OutcomeUnknownError } from './errors/OutcomeUnknownError.js';
export { incrementTo } from './streams/incrementTo.js';
export { incrementSink, DEFAULT_INCREMENT_OPTIONS, type IncrementOptions, type IncrementReceipt } from './streams/incrementSink.js';
export { isNotApplied } from './streams/isNotApplied.js';
export { resumeValues, DEFAULT_RESUME_OPTIONS, type ResumeOptions } from './streams/resumeValues.js';
export { isTransientReadError } from './streams/isTransientReadError.js';
export { pointPages } from './streams/pointPages.js';
export { PauseGate } from './streams/PauseGate.js';
