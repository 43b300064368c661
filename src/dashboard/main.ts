// The dashboard page served at /dashboard/ by `timetric serve`: bundled ahead of time by
// scripts/build-dashboard.mjs (esbuild, minified) into dist/dashboard/app.js.
import { Dashboard } from './Dashboard.js';

new Dashboard(window.location).start();
