export * from 'timetric/server';
