// The package's only barrel: what users of the browser-safe client call, and the types and
// DEFAULT_… constants of its options. Server code is under 'timetric/server', the journals under
// 'timetric/journal'. The stream cores
// (batchWriter, incrementSink, pollLatest, liveLatest, resumeValues, pointPages), the retry loop and
// the client's helpers are internal: Series, writeTo and incrementTo are built on them.
export type { Point, PointValue, TimeInput } from './codec/Point.js';
export { parseTime, MAX_UNIX_SECONDS } from './codec/parseTime.js';
export { parseValue, checkValue } from './codec/parseValue.js';
export { formatIsoTime, formatUnixTime } from './codec/formatTime.js';
export { formatValue } from './codec/formatValue.js';
export { nextTimeAfter } from './codec/nextTimeAfter.js';
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
export {
  isTimetricError,
  isHttpError,
  isAuthenticationError,
  isNotFoundError,
  isTimeoutError,
  isNetworkError,
  isParseError,
  isConfigurationError,
  isWriteFailedError,
  isOutcomeUnknownError,
  isPushUnavailableError,
  isCrossOriginLinkError,
} from './errors/typeGuards.js';

export { TimetricClient, type OAuthToken } from './client/TimetricClient.js';
export type { BucketValuesOptions, M4ValuesOptions, DownsampleOptions } from './client/DownsampleOptions.js';
export type { BucketAggregate } from './codec/downsample/BucketAggregate.js';
export type { DownsampleSpec, BucketSpec, M4Spec } from './codec/downsample/DownsampleSpec.js';
export { downsamplePoints } from './codec/downsample/downsamplePoints.js';
export { Series, DEFAULT_VALUES_OPTIONS, type WriteResult, type ValuesOptions, type SeriesClient } from './client/Series.js';
export { DEFAULT_WATCH_OPTIONS, type WatchOptions } from './client/WatchOptions.js';
export type { ClientContext } from './client/ClientContext.js';
export type { TimetricConfig } from './client/TimetricConfig.js';
export { DEFAULT_CLIENT_OPTIONS, type ClientOptions, type FetchLike } from './client/ClientOptions.js';
export type { RequestSpec } from './client/RequestSpec.js';
export type { SeriesMetadata } from './client/createSeriesRequest.js';
export { DEFAULT_SEARCH_OPTIONS, type SeriesSearch } from './client/SeriesSearch.js';
export type { SeriesInfo, SearchTransport } from './client/searchSeries.js';
export type { SeriesData, PointInput } from './client/encodeSeriesData.js';

export { DEFAULT_POLL_OPTIONS, type PollOptions } from './streams/pollLatest.js';
export { DEFAULT_RETRY_OPTIONS, type RetryOptions } from './streams/retry/RetryOptions.js';
export { isRetryable, RETRYABLE_STATUSES } from './streams/isRetryable.js';
export { writeTo, type WriteToOptions, type SinkPoint } from './streams/writeTo.js';
export { writeFrom, type PullSource } from './streams/writeFrom.js';
export type { JournalOptions } from './streams/journaledWriter.js';
export type { WriteTarget, WriteAnswer } from './streams/WriteTarget.js';
// The journal classes and journaled cores are values of 'timetric/journal' only: a sink loads
// them when it first runs with a journal, and a value exported here would be in every page.
export type { Journal, JournalEntry, PendingRecord } from './journal/Journal.js';
export type { IndexedDbJournal } from './journal/IndexedDbJournal.js';
export type { MemoryJournal } from './journal/MemoryJournal.js';
export type { JournalLockedError } from './journal/JournalLockedError.js';
export type { JournalRecord, JournalPoints, JournalIncrement, JournalAck } from './codec/journalRecord.js';
export { DEFAULT_WRITE_OPTIONS, type WriteOptions, type WriteReceipt } from './streams/batchWriter.js';
export { WriteFailedError } from './errors/WriteFailedError.js';
export { OutcomeUnknownError } from './errors/OutcomeUnknownError.js';
export { incrementTo, type IncrementToOptions } from './streams/incrementTo.js';
export { newIdempotencyKey } from './streams/newIdempotencyKey.js';
export { DEFAULT_INCREMENT_OPTIONS, type IncrementOptions, type IncrementReceipt } from './streams/IncrementOptions.js';
export type { PauseGate } from './streams/PauseGate.js';
export { DEFAULT_LIVE_OPTIONS, type LiveMode, type LiveOptions, type LiveTransport, type LiveUpdate } from './streams/liveLatest.js';
export { isPushUnavailable, PUSH_UNAVAILABLE_STATUSES } from './streams/isPushUnavailable.js';
export { PushUnavailableError } from './errors/PushUnavailableError.js';
export { CrossOriginLinkError } from './errors/CrossOriginLinkError.js';
