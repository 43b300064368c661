// What the client loads on the first search, series creation, update() or rewrite(), as one chunk:
// the search pager and the request-body encoder. Imported only through import() (see
// TimetricClient.ts and Series.ts), so a page that only reads and streams does not load them.
export { searchSeries } from './searchSeries.js';
export { createSeriesRequest } from './createSeriesRequest.js';
export { encodeSeriesData } from './encodeSeriesData.js';
