// The server's API: the timetric package's timetric/server, whose dependencies this package installs.
module.exports = require('timetric/server');
