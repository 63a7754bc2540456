// The library bundle (dist/lib.cjs) that unit tests import. Each module adds its own export line.
export * from './util/rand';
export * from './util/clock';
export * from './printers/tabwriter';
export * from './printers/age';
export * from './api/errors';
export * from './api/resources';
export * from './controllers/ipam';
export * from './controllers/nodeports';
export * from './printers/describe';
export * from './api/defaults';
export * from './api/validation';
export * from './printers/table';
export * from './printers/columns';
export * from './api/labels';
export * from './printers/goyaml';
export * from './util/fastyaml';
export * from './printers/output';
